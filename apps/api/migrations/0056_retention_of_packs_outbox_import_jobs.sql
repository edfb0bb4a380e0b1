-- Issue 17: evidence packs, the event outbox and framework import jobs come under retention, each with its own period.
-- - evidence_packs: a pack older than its period loses its ZIP on disk and is marked `expired`; the row stays with its
--   digests and who asked for it, the record that the pack existed and what it held.
-- - event_outbox: events every channel has taken (dispatched) are deleted, except those a webhook delivery names (the
--   delivery log refers to them) and the newest event of each kind per catalog, control and scope (the stale sweep,
--   the run.error rule and the flapping guard compare against it).
-- - import_jobs: finished framework import jobs (succeeded or failed) with the document they carried; the framework
--   they imported stays.
alter table retention_settings drop constraint retention_settings_category_check;
alter table retention_settings add constraint retention_settings_category_check check (category in (
  'runs', 'computation_detail', 'audit_log', 'conversations', 'sessions', 'evidence_packs', 'event_outbox', 'import_jobs'));
insert into retention_settings (category, keep_days) values ('evidence_packs', 365), ('event_outbox', 90), ('import_jobs', 90);

alter table evidence_packs drop constraint evidence_packs_status_check;
alter table evidence_packs add constraint evidence_packs_status_check
  check (status in ('queued', 'running', 'done', 'failed', 'expired'));
alter table evidence_packs add column expired_at timestamptz;
alter table evidence_packs add constraint evidence_packs_expired_check check ((status = 'expired') = (expired_at is not null));
create index evidence_packs_expirable_idx on evidence_packs (completed_at) where status = 'done';

create index event_outbox_dispatched_idx on event_outbox (dispatched_at) where dispatched_at is not null;
create index webhook_deliveries_event_idx on webhook_deliveries (event_id) where event_id is not null;
create index framework_import_jobs_finished_idx on framework_import_jobs (finished_at)
  where status in ('succeeded', 'failed');
