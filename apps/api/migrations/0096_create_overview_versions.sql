-- Issue 19: GET /overview recomputed its three statements (compliance now and per day, failing controls, schedule
-- groups) on every request although what they read changes far less often than it is asked for. The API keeps the
-- last answer per process, and this counter says whether it may still be given: every committed change to a table the
-- overview reads adds to it, in the transaction that makes the change, so an answer computed after reading version V
-- reflects every change up to V, and a process that reads V again knows that nothing it shows has changed since.
-- Several API processes each read the version from here, so none can give an answer another one's write outdated.
--
-- The version is the sum of 16 shards, as with catalog_control_counts (migration 0083): each connection bumps the
-- row of its backend pid modulo 16, so writers of different shards never wait for each other. Every bump adds 1, so
-- the sum changes whenever a bumping transaction commits (a change of the watched tables never commits unseen).
create table overview_versions (
  shard   smallint primary key check (shard between 0 and 15),
  version bigint not null
);

comment on table overview_versions is
  'Changes committed to the tables GET /overview reads (the sum of its rows); bumped by triggers on those tables.';

insert into overview_versions (shard, version) select shard, 0 from generate_series(0, 15) shard;

-- Once per transaction (a run's append writes three watched tables), and at commit: the trigger is deferred, so the
-- shard row is locked last, after every row lock the transaction takes, and held only while it commits. An immediate
-- bump would hold it through the rest of the transaction and could deadlock with a writer of the same shard waiting
-- for a row this one locks next. A rolled-back (sub)transaction undoes the setting with the bump.
create function bump_overview_version() returns trigger language plpgsql as $$
begin
  if current_setting('status.overview_bumped_by', true) is distinct from txid_current()::text then
    update overview_versions set version = version + 1 where shard = pg_backend_pid() % 16;
    perform set_config('status.overview_bumped_by', txid_current()::text, false);
  end if;
  return null;
end
$$;

-- What the overview reads (overview.repository.ts): listCatalogOverview (catalogs, catalog_control_counts, controls,
-- control_latest, catalog_daily), listFailingControls (reporting.control_status: point_latest, controls, catalogs)
-- and listScheduleGroups (controls, catalogs, schedule_cursors, scope_sets). Constraint triggers are row triggers
-- (each row after the first of a transaction costs one setting compare); TRUNCATE has a statement trigger of its own.
do $$
declare
  watched text;
begin
  foreach watched in array array['catalogs', 'controls', 'catalog_control_counts', 'control_latest', 'catalog_daily',
                                 'point_latest', 'schedule_cursors', 'scope_sets'] loop
    execute format(
      'create constraint trigger overview_version_bump after insert or update or delete on %I '
      'deferrable initially deferred for each row execute function bump_overview_version()', watched);
    execute format(
      'create trigger overview_version_truncate after truncate on %I '
      'for each statement execute function bump_overview_version()', watched);
  end loop;
end
$$;
