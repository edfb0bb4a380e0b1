-- Large framework imports run as jobs on the queue (issue 16). The uploaded document is kept here with the job, so a
-- worker that dies mid-import leaves nothing in memory that matters: the reaper hands the job to another worker,
-- which imports the document again in one transaction (a requirement is upserted by key, so nothing is duplicated).
-- `attempts` fences a worker whose lease was taken back: its late progress and its commit are refused.
create table framework_import_jobs (
  id            uuid primary key default gen_random_uuid(),
  status        text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  format        text not null check (format in ('oscal-catalog', 'oscal-profile', 'csv', 'xlsx')),
  body          jsonb not null,
  body_bytes    integer not null check (body_bytes >= 0),
  attempts      integer not null default 0 check (attempts >= 0),
  processed     integer not null default 0 check (processed >= 0),
  total         integer check (total >= 0),
  result        jsonb,
  problem       jsonb,
  framework_id  uuid references frameworks (id) on delete restrict,
  created_by    uuid references users (id) on delete set null,
  -- Who asked, as the audit trail records them when the job stores the framework.
  actor         jsonb not null,
  created_at    timestamptz not null default now(),
  started_at    timestamptz,
  heartbeat_at  timestamptz,
  finished_at   timestamptz,
  check ((status = 'succeeded') = (result is not null)),
  check ((status = 'failed') = (problem is not null))
);
create index framework_import_jobs_open_idx on framework_import_jobs (status, heartbeat_at)
  where status in ('queued', 'running');
