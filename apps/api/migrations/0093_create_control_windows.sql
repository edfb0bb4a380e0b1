-- "Failed in this period" (GET /overview/failures, modules/overview/failures.repository.ts) counted each control's
-- failing windows and evaluated windows of the period from the points: every failing point of the period sorted for
-- count(distinct window_start), then every point of each listed control (one per scope and source) counted again. At
-- 10 M points a year's request read 134,000 buffers and spilled to disk (5.2 s). A window is what the answer counts,
-- so this table keeps one row per control and window, whatever its scopes and sources, with whether any point of it
-- failed: the answer reads one row per control and window of the period.
--
-- It is derived, like point_latest: a statement trigger on points (one per append statement, whichever path wrote
-- the points, the bulk loads of the benchmarks too) upserts the windows the statement added, and
-- rebuild_point_reads() recomputes it from the points. Points are never updated or deleted (a control's deletion
-- cascades here too), so an insert is the only change to follow: a window only ever appears or starts failing.
create table control_windows (
  control_id   uuid not null references controls (id) on delete cascade,
  window_start timestamptz not null,
  -- The catalog of the window's points (a control's points all carry its catalog): the answer's catalog filter.
  catalog_id   uuid not null,
  failed       boolean not null,
  -- A listed control's windows of the period and how many failed, in an index-only scan.
  primary key (control_id, window_start) include (failed)
);
-- The failing windows of a period, whatever the period: which controls to list.
create index control_windows_failed_idx on control_windows (window_start) include (control_id, catalog_id) where failed;

create function control_windows_after_points() returns trigger language plpgsql as $$
begin
  insert into control_windows as w (control_id, window_start, catalog_id, failed)
  select control_id, window_start, min(catalog_id::text)::uuid, bool_or(result = 'fail')
    from added
   group by control_id, window_start
   -- Rows in key order: two appends of one control are serialised by its chain lock, and of different controls
   -- touch different rows, so the order only keeps concurrent bulk loads from deadlocking.
   order by control_id, window_start
  on conflict (control_id, window_start) do update set failed = true
   -- A window that already failed, or a passing point of a known window, changes nothing (and writes nothing).
   where excluded.failed and not w.failed;
  return null;
end;
$$;
create trigger control_windows_point_insert after insert on points
  referencing new table as added for each statement execute function control_windows_after_points();

-- Migration 0063's function, with control_windows recomputed from the points too.
create or replace function rebuild_point_reads() returns void language sql as $$
  truncate point_latest, point_daily, control_windows;
  insert into point_latest (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end, value, result, created_at)
  select distinct on (p.control_id, p.scope_key)
         p.control_id, p.scope_key, p.catalog_id, p.id, p.scope, p.source, p.window_start, p.window_end, p.value, p.result, p.created_at
    from points p
   order by p.control_id, p.scope_key, p.window_start desc, p.source;
  insert into point_daily (catalog_id, day, control_id, scope_key, source, scope, points, passed, failed, not_applicable,
                           value_sum, value_count, shadowed_points, shadowed_passed, shadowed_failed, shadowed_not_applicable,
                           shadowed_value_sum, shadowed_value_count)
  select p.catalog_id, date_trunc('day', p.window_start at time zone 'UTC'), p.control_id, p.scope_key, p.source,
         (array_agg(p.scope))[1],
         count(*), count(*) filter (where p.result = 'pass'), count(*) filter (where p.result = 'fail'),
         count(*) filter (where p.result = 'not_applicable'), coalesce(sum(p.value), 0), count(p.value),
         count(*) filter (where shadowed), count(*) filter (where shadowed and p.result = 'pass'),
         count(*) filter (where shadowed and p.result = 'fail'), count(*) filter (where shadowed and p.result = 'not_applicable'),
         coalesce(sum(p.value) filter (where shadowed), 0), count(p.value) filter (where shadowed)
    from (select p.*, p.source = 'registry' and exists (
                   select 1 from points e where e.control_id = p.control_id and e.scope_key = p.scope_key
                      and e.window_start = p.window_start and e.source = 'engine') as shadowed
            from points p) p
   group by p.catalog_id, date_trunc('day', p.window_start at time zone 'UTC'), p.control_id, p.scope_key, p.source;
  insert into control_windows (control_id, window_start, catalog_id, failed)
  select control_id, window_start, min(catalog_id::text)::uuid, bool_or(result = 'fail')
    from points
   group by control_id, window_start;
$$;

-- Backfill.
insert into control_windows (control_id, window_start, catalog_id, failed)
select control_id, window_start, min(catalog_id::text)::uuid, bool_or(result = 'fail')
  from points
 group by control_id, window_start;
