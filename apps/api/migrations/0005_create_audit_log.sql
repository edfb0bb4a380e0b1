-- Who changed what, when, with the state before and after. Append-only: the actor is copied by name and id
-- (no foreign key), so history outlives deleted users, and a trigger refuses updates and deletes.
create table audit_log (
  id            bigint generated always as identity primary key,
  at            timestamptz not null default now(),
  actor_id      uuid,
  actor_name    text,
  action        text not null check (action in ('create', 'update', 'delete', 'login', 'revoke')),
  resource_type text not null,
  resource_id   text,
  before        jsonb,
  after         jsonb,
  request_id    text
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_resource_idx on audit_log (resource_type, resource_id, at desc);
create index audit_log_actor_idx on audit_log (actor_id, at desc);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
