-- A run's computation and a computation's evidences are children written by their parent's own statement, selected
-- from the rows that statement wrote, so the parent exists by construction:
--   - runs_insert (modules/evaluation/runs/runs.repository.ts) inserts each computation from the runs it has just
--     inserted, with their ids and control ids; insertPushSubmissions (push-runs.repository.ts) likewise from
--     `inserted_run`;
--   - computations_store_results (results/run-results.repository.ts) inserts evidences only for the computations its
--     update completed (and locked), and fails the batch when one of them is missing; insertPushSubmissions inserts
--     them from `inserted_computation`.
-- No other code writes these tables, and nothing updates a computation's run_id or control_id, nor an evidence's
-- computation_id. The foreign keys checked the parent again for every row (one SPI lookup with a key-share lock
-- each, about 4 µs in EXPLAIN ANALYZE: five per engine run, three of them for the evidences), on every engine run.
-- Those checks go; what the keys did on delete stays, as statement triggers:
--   - deleting runs deletes their computations (was on delete cascade), whose deletion deletes their evidences (was
--     on delete cascade); points keep their own key to computations (on delete set null);
--   - computations.control_id (was on delete restrict) is always its run's control_id, and a run's computation lives
--     only as long as its run, so runs_control_id_fkey (on delete restrict) keeps a control with computations;
--   - truncating computations truncates their evidences; truncating runs truncates their computations, which the
--     points' key to computations refuses: runs are not truncated, so none is left without a run (a truncate of
--     runs without cascade was refused before too).
-- test/int/result-rows.int.test.ts covers the cascades and the store's refusal of a missing computation.
alter table computations drop constraint computations_run_id_fkey;
alter table computations drop constraint computations_control_id_fkey;
alter table evidences drop constraint evidences_computation_id_fkey;

create function delete_computations_of_deleted_runs() returns trigger language plpgsql as $$
begin
  -- computations_run_key serves the lookup, one probe per deleted run.
  delete from computations where run_id in (select id from deleted_runs);
  return null;
end $$;

create trigger runs_delete_computations after delete on runs
  referencing old table as deleted_runs for each statement execute function delete_computations_of_deleted_runs();

create function delete_evidences_of_deleted_computations() returns trigger language plpgsql as $$
begin
  -- The evidences' primary key (computation_id, position) serves the lookup.
  delete from evidences where computation_id in (select id from deleted_computations);
  return null;
end $$;

create trigger computations_delete_evidences after delete on computations
  referencing old table as deleted_computations for each statement
  execute function delete_evidences_of_deleted_computations();

create function truncate_computations_after_runs() returns trigger language plpgsql as $$
begin
  truncate computations;
  return null;
end $$;

create trigger runs_truncate_computations after truncate on runs
  for each statement execute function truncate_computations_after_runs();

create function truncate_evidences_after_computations() returns trigger language plpgsql as $$
begin
  truncate evidences;
  return null;
end $$;

create trigger computations_truncate_evidences after truncate on computations
  for each statement execute function truncate_evidences_after_computations();
