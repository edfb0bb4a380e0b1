-- Who owns and watches a control, and how its failing points are handled (issue 13): comments, acknowledgements and
-- accepted exceptions. None of it is part of the evidence record: points stay as recorded (their hashes never cover
-- these rows), and a failure with an accepted exception is still a failure in the record and in exports.

-- One owner per control (optional). A deleted user leaves the control without an owner.
create table control_owners (
  control_id  uuid primary key references controls (id) on delete cascade,
  user_id     uuid not null references users (id) on delete cascade,
  assigned_by uuid references users (id) on delete set null,
  assigned_at timestamptz not null default now()
);
create index control_owners_user_idx on control_owners (user_id);

create table control_watchers (
  control_id uuid not null references controls (id) on delete cascade,
  user_id    uuid not null references users (id) on delete cascade,
  added_by   uuid references users (id) on delete set null,
  added_at   timestamptz not null default now(),
  primary key (control_id, user_id)
);
create index control_watchers_user_idx on control_watchers (user_id);

-- Handling rows name their authors by id and by name, so they outlive deleted users, like the audit log.
-- Comments are append-only: never edited, never deleted (a correction is a new comment).
create table point_comments (
  id          uuid primary key default gen_random_uuid(),
  point_id    uuid not null references points (id) on delete restrict,
  control_id  uuid not null references controls (id) on delete restrict,
  body        text not null check (char_length(body) between 1 and 4000),
  author_id   uuid references users (id) on delete set null,
  author_name text not null,
  created_at  timestamptz not null default now()
);
create index point_comments_point_idx on point_comments (point_id, created_at);

-- A failing point is acknowledged once: who and when, never changed.
create table point_acknowledgements (
  point_id        uuid primary key references points (id) on delete restrict,
  control_id      uuid not null references controls (id) on delete restrict,
  acknowledged_by uuid references users (id) on delete set null,
  acknowledged_by_name text not null,
  acknowledged_at timestamptz not null default now()
);
create index point_acknowledgements_control_idx on point_acknowledgements (control_id);

-- An accepted exception for a failing point until it expires. Revoking records who, when and why; the row stays.
create table point_exceptions (
  id              uuid primary key default gen_random_uuid(),
  point_id        uuid not null references points (id) on delete restrict,
  control_id      uuid not null references controls (id) on delete restrict,
  justification   text not null check (char_length(justification) between 1 and 2000),
  approver_id     uuid references users (id) on delete set null,
  approver_name   text not null,
  expires_at      timestamptz not null,
  created_by      uuid references users (id) on delete set null,
  created_by_name text not null,
  created_at      timestamptz not null default now(),
  revoked_at      timestamptz,
  revoked_by      uuid references users (id) on delete set null,
  revoked_by_name text,
  revoke_reason   text check (revoke_reason is null or char_length(revoke_reason) between 1 and 2000),
  check ((revoked_at is null) = (revoked_by_name is null) and (revoked_at is null) = (revoke_reason is null))
);
create index point_exceptions_control_idx on point_exceptions (control_id, created_at desc);
create index point_exceptions_point_idx on point_exceptions (point_id);

-- Comments and acknowledgements are append-only; an exception changes only once, when it is revoked. A deleted user
-- may still clear the id columns (their names stay).
create function point_handling_is_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception '% is append-only', tg_table_name;
  end if;
  if tg_table_name = 'point_comments' then
    if new.id = old.id and new.point_id = old.point_id and new.body = old.body and new.author_name = old.author_name
       and new.created_at = old.created_at and new.author_id is null then
      return new;
    end if;
  elsif tg_table_name = 'point_acknowledgements' then
    if new.point_id = old.point_id and new.acknowledged_by_name = old.acknowledged_by_name
       and new.acknowledged_at = old.acknowledged_at and new.acknowledged_by is null then
      return new;
    end if;
  elsif tg_table_name = 'point_exceptions' then
    if new.id = old.id and new.point_id = old.point_id and new.justification = old.justification
       and new.approver_name = old.approver_name and new.expires_at = old.expires_at
       and new.created_by_name = old.created_by_name and new.created_at = old.created_at
       and (old.revoked_at is null or (new.revoked_at = old.revoked_at and new.revoke_reason = old.revoke_reason
                                       and new.revoked_by_name = old.revoked_by_name)) then
      return new;
    end if;
  end if;
  raise exception '% is append-only (an exception may only be revoked, once)', tg_table_name;
end;
$$;
create trigger point_comments_append_only before update or delete on point_comments
  for each row execute function point_handling_is_append_only();
create trigger point_acknowledgements_append_only before update or delete on point_acknowledgements
  for each row execute function point_handling_is_append_only();
create trigger point_exceptions_append_only before update or delete on point_exceptions
  for each row execute function point_handling_is_append_only();
