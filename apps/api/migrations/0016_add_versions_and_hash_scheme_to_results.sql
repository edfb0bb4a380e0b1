-- Every computation and point records the control version it was computed under (null: a draft's computation, a
-- pending or failed one, or anything recorded before versions existed).
alter table computations
  add column control_version integer,
  add constraint computations_control_version_fkey foreign key (control_id, control_version)
    references control_versions (control_id, version) on delete no action;

-- How a point's hash was computed. Points written before this migration (and by a previous release still running
-- during an upgrade, which does not name the column) are scheme 1; the API writes scheme 2, whose hash also covers
-- the control version and its digest, the catalog, the scope values and the time the point was recorded.
alter table points
  add column control_version integer,
  add column hash_scheme smallint not null default 1,
  add constraint points_hash_scheme_check check (hash_scheme in (1, 2)),
  add constraint points_hash_scheme_version_check check (hash_scheme = 1 or control_version is not null),
  add constraint points_control_version_fkey foreign key (control_id, control_version)
    references control_versions (control_id, version) on delete no action;

-- Agreements now tell the registry which control version their terms are (a metric's measure.params.controlVersion),
-- and a sync keeps the registry's verdicts only for the version the registry holds: publish every agreement again.
update registry_publications set state = 'pending', next_attempt_at = now(), requested_at = now(), updated_at = now()
 where state = 'published';
