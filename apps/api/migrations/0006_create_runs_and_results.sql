-- A batch groups the runs one request or one scheduler tick created, for progress across them.
create table run_batches (
  id           uuid primary key default gen_random_uuid(),
  catalog_id   uuid references catalogs (id) on delete cascade,
  control_id   uuid references controls (id) on delete cascade,
  trigger      text not null check (trigger in ('manual', 'schedule', 'backfill', 'collector')),
  requested_by uuid references users (id) on delete set null,
  run_count    integer not null check (run_count >= 0),
  created_at   timestamptz not null default now()
);

-- One evaluation of one control for one scope set and one period window. The database is the source of truth;
-- the queue only delivers run ids, and claiming a run is an atomic update, so a redelivered id is harmless.
create table runs (
  id              uuid primary key default gen_random_uuid(),
  batch_id        uuid references run_batches (id) on delete set null,
  control_id      uuid not null references controls (id) on delete cascade,
  scope_set_id    uuid references scope_sets (id) on delete set null,
  scope           jsonb not null default '{}'::jsonb,
  scope_key       text not null,
  window_start    timestamptz not null,
  window_end      timestamptz not null,
  is_provisional  boolean not null,
  trigger         text not null check (trigger in ('manual', 'schedule', 'backfill', 'collector')),
  status          text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'error', 'cancelled')),
  attempts        integer not null default 0,
  max_attempts    integer not null check (max_attempts >= 1),
  next_attempt_at timestamptz not null default now(),
  queued_at       timestamptz not null default now(),
  started_at      timestamptz,
  heartbeat_at    timestamptz,
  finished_at     timestamptz,
  duration_ms     integer,
  error           text,
  bulk_done_at    timestamptz,
  requested_by    uuid references users (id) on delete set null,
  created_at      timestamptz not null default now(),
  constraint runs_window_check check (window_end > window_start)
);
create index runs_control_idx on runs (control_id, created_at desc);
create index runs_active_idx on runs (status, next_attempt_at) where status in ('queued', 'running');
create index runs_batch_idx on runs (batch_id);
create index runs_created_idx on runs (created_at desc, id desc);
-- The scheduler inserts with ON CONFLICT DO NOTHING: each window of each scope is scheduled once.
create unique index runs_scheduled_window_key on runs (control_id, scope_key, window_start) where trigger = 'schedule';

-- The result of a run: created with it (pending), so a collector can poll its URL from the start.
create table computations (
  id                   uuid primary key default gen_random_uuid(),
  run_id               uuid not null references runs (id) on delete cascade,
  control_id           uuid not null references controls (id) on delete cascade,
  scope                jsonb not null,
  scope_key            text not null,
  window_start         timestamptz not null,
  window_end           timestamptz not null,
  is_provisional       boolean not null,
  status               text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
  flow_value           jsonb,
  evidence_count       integer not null default 0,
  pass_count           integer not null default 0,
  fail_count           integer not null default 0,
  error_count          integer not null default 0,
  not_applicable_count integer not null default 0,
  compliance           numeric(6, 3) check (compliance is null or compliance between 0 and 100),
  result               text check (result in ('pass', 'fail', 'not_applicable')),
  evidence_digest      text,
  point_id             uuid,
  created_at           timestamptz not null default now(),
  completed_at         timestamptz,
  constraint computations_run_key unique (run_id)
);
create index computations_control_idx on computations (control_id, window_start desc, created_at desc);

-- One fact a mashup checked. `value` keeps whatever JSON the flow reported.
create table evidences (
  computation_id uuid not null references computations (id) on delete cascade,
  position       integer not null,
  key            text not null,
  value          jsonb,
  result         text not null check (result in ('pass', 'fail', 'error', 'not_applicable')),
  period_from    timestamptz,
  period_to      timestamptz,
  primary key (computation_id, position)
);

-- Items posted by status-storer style flows to /computations/bulk, kept until the run assembles them.
create table run_bulk_items (
  id          bigint generated always as identity primary key,
  run_id      uuid not null references runs (id) on delete cascade,
  item        jsonb not null,
  received_at timestamptz not null default now()
);
create index run_bulk_items_run_idx on run_bulk_items (run_id, id);

-- Guarantee points: one per control, scope, window and source. `seq` orders each control's hash chain:
-- hash = sha256(prev_hash + canonical point), so any edit or deletion of a point breaks verification.
create table points (
  id              uuid primary key default gen_random_uuid(),
  seq             bigint generated always as identity,
  control_id      uuid not null references controls (id) on delete cascade,
  catalog_id      uuid not null references catalogs (id) on delete cascade,
  source          text not null default 'engine' check (source in ('engine', 'registry')),
  scope           jsonb not null,
  scope_key       text not null,
  window_start    timestamptz not null,
  window_end      timestamptz not null,
  value           numeric(6, 3) check (value is null or value between 0 and 100),
  threshold       numeric(5, 2) not null,
  result          text not null check (result in ('pass', 'fail', 'not_applicable')),
  computation_id  uuid references computations (id) on delete set null,
  evidence_digest text,
  prev_hash       text,
  hash            text not null,
  created_at      timestamptz not null default now(),
  constraint points_seq_key unique (seq),
  constraint points_window_key unique (control_id, scope_key, window_start, source)
);
create index points_control_seq_idx on points (control_id, seq);
create index points_catalog_time_idx on points (catalog_id, window_start);
create index points_time_idx on points (window_start);

-- How far the scheduler has scheduled each control and scope: every closed window before `scheduled_through` has a
-- run, so each tick only looks at what closed since (and a new scope set starts from the control's start).
create table schedule_cursors (
  control_id        uuid not null references controls (id) on delete cascade,
  scope_key         text not null,
  scheduled_through timestamptz not null,
  primary key (control_id, scope_key)
);

-- The head of each control's chain, moved with every appended point under the same row lock: verification compares
-- it with the last point, so removing the newest points is detected too, not only edits inside the chain.
alter table controls add column chain_head text, add column chain_length bigint not null default 0;
