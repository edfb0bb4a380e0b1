-- Evidence packs for auditors: a signed ZIP of one catalog's period, built by a worker. The row is the job (the worker
-- claims it with an atomic update and renews `heartbeat_at`; a pack whose worker stopped is claimed again) and, once
-- done, the record of the file and its digests. Packs are evidence handed to auditors: never deleted by the API.
create table evidence_packs (
  id              uuid primary key default gen_random_uuid(),
  catalog_id      uuid not null references catalogs (id) on delete restrict,
  period_from     timestamptz not null,
  period_to       timestamptz not null,
  status          text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  progress        integer not null default 0 check (progress between 0 and 100),
  stage           text not null default 'queued',
  attempts        integer not null default 0 check (attempts >= 0),
  heartbeat_at    timestamptz,
  file_name       text,
  size_bytes      bigint check (size_bytes is null or size_bytes >= 0),
  sha256          text check (sha256 is null or sha256 ~ '^[0-9a-f]{64}$'),
  manifest_sha256 text check (manifest_sha256 is null or manifest_sha256 ~ '^[0-9a-f]{64}$'),
  point_count     integer,
  error           text,
  requested_by    uuid references users (id) on delete set null,
  created_at      timestamptz not null default now(),
  completed_at    timestamptz,
  constraint evidence_packs_period_check check (period_to > period_from),
  constraint evidence_packs_done_check check (status <> 'done' or (file_name is not null and sha256 is not null))
);
create index evidence_packs_catalog_idx on evidence_packs (catalog_id, created_at desc);
create index evidence_packs_pending_idx on evidence_packs (created_at) where status in ('queued', 'running');
