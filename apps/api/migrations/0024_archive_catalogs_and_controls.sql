-- Archive, never destroy: a catalog or control with recorded history is archived (scheduling stops, it leaves the
-- default lists, everything it recorded stays readable and verifiable) instead of deleted. Restoring clears these
-- columns; the audit log keeps every archive and restore with its reason. The archiver is copied by id and name,
-- without a foreign key (as in audit_log and control_versions), so the record outlives a deleted user.
alter table catalogs
  add column archived_at      timestamptz,
  add column archived_by      uuid,
  add column archived_by_name text,
  add column archive_reason   text check (char_length(archive_reason) between 1 and 1000),
  add constraint catalogs_archive_check check ((archived_at is null) = (archive_reason is null));
alter table controls
  add column archived_at      timestamptz,
  add column archived_by      uuid,
  add column archived_by_name text,
  add column archive_reason   text check (char_length(archive_reason) between 1 and 1000),
  add constraint controls_archive_check check ((archived_at is null) = (archive_reason is null));
-- Default lists show what is not archived; the index keeps that filter cheap.
create index catalogs_active_idx on catalogs (lower(name)) where archived_at is null;
create index controls_active_idx on controls (catalog_id) where archived_at is null;

-- Nothing that reaches recorded history is deleted by a cascade any more: deleting a catalog or control that still has
-- controls, scope sets, runs, computations, points, versions or a registry publication is refused by the database
-- (SQLSTATE 23503), whoever issues it. Deleting a draft (which never has points or versions) removes its runs and
-- scope sets first, each through the module that owns them (modules/archive orchestrates it).
alter table controls drop constraint controls_catalog_id_fkey,
  add constraint controls_catalog_id_fkey foreign key (catalog_id) references catalogs (id) on delete restrict;
alter table scope_sets drop constraint scope_sets_control_id_fkey,
  add constraint scope_sets_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table run_batches drop constraint run_batches_catalog_id_fkey,
  add constraint run_batches_catalog_id_fkey foreign key (catalog_id) references catalogs (id) on delete restrict;
alter table run_batches drop constraint run_batches_control_id_fkey,
  add constraint run_batches_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table runs drop constraint runs_control_id_fkey,
  add constraint runs_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table computations drop constraint computations_control_id_fkey,
  add constraint computations_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table points drop constraint points_control_id_fkey,
  add constraint points_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table points drop constraint points_catalog_id_fkey,
  add constraint points_catalog_id_fkey foreign key (catalog_id) references catalogs (id) on delete restrict;
alter table control_versions drop constraint control_versions_control_id_fkey,
  add constraint control_versions_control_id_fkey foreign key (control_id) references controls (id) on delete restrict;
alter table registry_publications drop constraint registry_publications_catalog_id_fkey,
  add constraint registry_publications_catalog_id_fkey foreign key (catalog_id) references catalogs (id) on delete restrict;

-- Kept as cascades, because they reach no history: schedule_cursors (the scheduler's bookmark; only finalized
-- controls have one, and those are never deleted) and control_panels (a Grafana panel pointing at a control, which a
-- draft may have). Inside the runs module, runs → computations → evidences and runs → run_bulk_items stay cascades:
-- only a draft's runs (which make no points) and retention's pruning, which keeps every computation a point names,
-- delete runs.

-- Archiving and restoring are audited as such, with the reason.
alter table audit_log drop constraint audit_log_action_check,
  add constraint audit_log_action_check
    check (action in ('create', 'update', 'delete', 'login', 'revoke', 'archive', 'restore'));
