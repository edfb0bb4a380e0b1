-- How long each category of data is kept (days; null = forever), set by ADMIN. Points are not here: the hash-chained
-- record is always kept.
create table retention_settings (
  category   text primary key check (category in ('runs', 'computation_detail', 'audit_log', 'conversations', 'sessions')),
  keep_days  integer check (keep_days is null or keep_days between 1 and 36500),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz
);
insert into retention_settings (category, keep_days) values
  ('runs', 400), ('computation_detail', 400), ('audit_log', null), ('conversations', null), ('sessions', 90);

-- The daily pruning: a lease so only one process prunes at a time, and what the last run removed.
create table retention_job (
  id               boolean primary key default true check (id),
  lease_holder     text,
  lease_expires_at timestamptz,
  last_started_at  timestamptz,
  last_finished_at timestamptz,
  last_pruned      jsonb not null default '{}'::jsonb
);
insert into retention_job (id) values (true);

-- A computation whose evidences and raw flow output were pruned keeps its counts, compliance and evidence digest (which
-- its point's hash covers); verification then checks the digest the point keeps instead of the gone evidences.
alter table computations add column detail_pruned_at timestamptz;
create index computations_detail_prunable_idx on computations (completed_at, id) where detail_pruned_at is null;
-- Pruning runs keeps every computation a point names; this finds them without scanning the points.
create index points_computation_idx on points (computation_id) where computation_id is not null;
create index conversations_updated_idx on conversations (updated_at);

-- The audit log stays append-only, with one narrow exception: prune_audit_log() deletes, in a transaction-local
-- setting the trigger honours, only rows older than the audit_log period an ADMIN set (read here, not passed in), so
-- neither a bug nor a caller can delete younger rows, and nothing can ever update one. Setting the period is audited.
create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
declare
  keep integer;
begin
  if tg_op = 'DELETE' and current_setting('status.audit_log_prune', true) = 'on' then
    select keep_days into keep from retention_settings where category = 'audit_log';
    if keep is not null and old.at < now() - make_interval(days => keep) then
      return old;
    end if;
  end if;
  raise exception 'audit_log is append-only';
end;
$$;

create function prune_audit_log(batch_size integer) returns integer language plpgsql as $$
declare
  keep    integer;
  removed integer;
begin
  select keep_days into keep from retention_settings where category = 'audit_log';
  if keep is null then
    return 0;
  end if;
  perform set_config('status.audit_log_prune', 'on', true);
  delete from audit_log where id in (
    select id from audit_log where at < now() - make_interval(days => keep) order by at, id limit batch_size
  );
  get diagnostics removed = row_count;
  perform set_config('status.audit_log_prune', 'off', true);
  return removed;
end;
$$;
