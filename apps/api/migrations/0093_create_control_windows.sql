-- "Failed in this period" (GET /overview/failures, modules/overview/failures.repository.ts) counted each control's
-- failing and evaluated windows of the period from the points: every failing point of the period sorted for
-- count(distinct window_start), then every point of each listed control (one per scope and source) counted again. At
-- 10 M points a year's request read 134,000 buffers and spilled to disk (5.2 s), and the cost grew with the period.
-- A window is what the answer counts, so this table keeps one row per control and window, whatever its scopes and
-- sources, with whether any point of it failed, and running counts: how many windows the control had before this one
-- and how many of those failed. A control's windows (or failing windows) in [from, to) are then the difference of
-- the counts at the last window before `to` and the last before `from`: two index probes per control, whatever the
-- period's length.
--
-- It is derived, like point_latest: a statement trigger on points (one per append statement, whichever path wrote
-- the points, the bulk loads of the benchmarks too) keeps it, and rebuild_point_reads() recomputes it from the
-- points. Points are never updated or deleted (a control's deletion cascades here too), so an insert is the only
-- change to follow: a window appears or starts failing, and the running counts of the control's later windows move.
-- The engine appends its newest windows, after which there are none, so an append moves one row per new window; a
-- late window or a late failure of an old window (the registry's) rewrites the counts of every later window of that
-- control, a few thousand rows at most.
create table control_windows (
  control_id     uuid not null references controls (id) on delete cascade,
  window_start   timestamptz not null,
  failed         boolean not null,
  windows_before integer not null,
  failed_before  integer not null,
  -- The running counts are left out of the index so that moving them is a HOT update; `failed` is in it for the
  -- failing streak's backward walk (an index-only scan to the newest window without a failure).
  primary key (control_id, window_start) include (failed)
);
-- A control's newest failing window of a period: one probe.
create index control_windows_failed_idx on control_windows (control_id, window_start) where failed;

create function control_windows_after_points() returns trigger language plpgsql as $$
declare
  ids uuid[];
  sinces timestamptz[];
begin
  -- The statement's windows, counted on from each control's last stored window: right for the engine's appends,
  -- which add windows after it. A window at or before it (a late window, or a stored one that starts failing) makes
  -- the counts of that control's windows from there on wrong: those are recounted below, and only those.
  with windows as (
    select control_id, window_start, bool_or(result = 'fail') as failed from added group by control_id, window_start
  ),
  lasts as (
    select touched.control_id, last.window_start, last.windows, last.failed
      from (select distinct control_id from windows) touched
      left join lateral (
        select stored.window_start, stored.windows_before + 1 as windows,
               stored.failed_before + stored.failed::int as failed
          from control_windows stored
         where stored.control_id = touched.control_id
         order by stored.window_start desc
         limit 1
      ) last on true
  ),
  upserted as (
    insert into control_windows as w (control_id, window_start, failed, windows_before, failed_before)
    select windows.control_id, windows.window_start, windows.failed,
           coalesce(lasts.windows, 0) + (row_number() over run)::int - 1,
           coalesce(lasts.failed, 0) + (count(*) filter (where windows.failed) over run)::int - windows.failed::int
      from windows join lasts using (control_id)
    window run as (partition by windows.control_id order by windows.window_start)
    on conflict (control_id, window_start) do update set failed = true
     -- A window that already failed, or a passing point of a known window, changes nothing (and writes nothing).
     where excluded.failed and not w.failed
    returning w.control_id, w.window_start
  )
  select array_agg(control_id order by control_id), array_agg(since order by control_id) into ids, sinces
    from (select upserted.control_id, min(upserted.window_start) as since
            from upserted join lasts using (control_id)
           where upserted.window_start <= lasts.window_start
           group by upserted.control_id) earliest;
  if ids is null then
    return null;
  end if;
  update control_windows w
     set windows_before = counted.windows_before, failed_before = counted.failed_before
    from unnest(ids, sinces) as changed (control_id, since)
    left join lateral (
      select before.windows_before + 1 as windows, before.failed_before + before.failed::int as failed
        from control_windows before
       where before.control_id = changed.control_id and before.window_start < changed.since
       order by before.window_start desc
       limit 1
    ) base on true
    cross join lateral (
      select later.window_start,
             coalesce(base.windows, 0) + (row_number() over run)::int - 1 as windows_before,
             coalesce(base.failed, 0) + (count(*) filter (where later.failed) over run)::int - later.failed::int
               as failed_before
        from control_windows later
       where later.control_id = changed.control_id and later.window_start >= changed.since
      window run as (order by later.window_start)
    ) counted
   -- The bound on window_start is implied by the join, but without it the planner read every window of the control.
   where w.control_id = changed.control_id and w.window_start >= changed.since and w.window_start = counted.window_start
     and (w.windows_before, w.failed_before) is distinct from (counted.windows_before, counted.failed_before);
  return null;
end;
$$;
create trigger control_windows_point_insert after insert on points
  referencing new table as added for each statement execute function control_windows_after_points();

-- control_windows from the points alone, in key order (a control's windows together on the heap).
create function rebuild_control_windows() returns void language sql as $$
  truncate control_windows;
  insert into control_windows (control_id, window_start, failed, windows_before, failed_before)
  select control_id, window_start, failed, (row_number() over run)::int - 1,
         (count(*) filter (where failed) over run)::int - failed::int
    from (select control_id, window_start, bool_or(result = 'fail') as failed
            from points group by control_id, window_start) windows
  window run as (partition by control_id order by window_start)
   order by control_id, window_start;
$$;
select rebuild_control_windows();

-- rebuild_point_reads() (the benchmarks' bulk loads, derived-tables.ts) recomputes control_windows too: migration
-- 0063's function keeps its body under a name of its own.
alter function rebuild_point_reads() rename to rebuild_point_latest_and_daily;
create function rebuild_point_reads() returns void language sql as $$
  select rebuild_point_latest_and_daily();
  select rebuild_control_windows();
$$;
