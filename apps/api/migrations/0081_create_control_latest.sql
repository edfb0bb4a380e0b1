-- Issue 19 item 5: GET /overview counted each catalog's controls by state through reporting.control_states, which
-- runs the calendar functions (reporting.scope_stale_at) for every scope of every active control on each request:
-- 40–80 ms of Postgres per overview at 500 active controls, whatever the page shows. A control's state at an instant
-- is reporting.control_state(is_active, stale_at, last_result, at), and of those only the instant moves: stale_at
-- (when it becomes stale without a new point) and last_result depend on stored rows alone. This table keeps them per
-- control, so a request only compares stale_at with its instant.
--
-- It is derived, like point_latest: triggers on every table the view reads (point_latest, scope_sets, controls,
-- catalogs) refresh the rows of the controls a statement touched from reporting.control_states itself, so the stored
-- values are the view's by construction, whichever write path made the change. A change to the view's rules (a new
-- reporting.scope_stale_at) must be followed by `select refresh_control_latest(array(select id from controls))`.

-- One row per control that is active or has points (a draft without points needs none: it is not evaluated, never
-- stale). Columns named as the view's; `newest_*` and `failing_scopes` are over all of the control's scopes in
-- point_latest (what the catalog page shows), the others over the scopes it is evaluated for now.
create table control_latest (
  control_id          uuid primary key references controls (id) on delete cascade,
  catalog_id          uuid not null,
  -- Neither the control nor its catalog is archived: the overview counts these.
  is_listed           boolean not null,
  -- The view's stale_at: only an active control has one.
  stale_at            timestamptz,
  last_result         text,
  last_evaluated_at   timestamptz,
  newest_result       text,
  newest_value        numeric(6, 3),
  newest_window_start timestamptz,
  newest_window_end   timestamptz,
  failing_scopes      integer not null default 0
);
-- The overview's counts per catalog and the catalog page's rows.
create index control_latest_catalog_idx on control_latest (catalog_id);

-- Recomputes the rows of the given controls. The row locks serialise two transactions refreshing one control: the
-- second reads (in a statement after its lock, so with a snapshot taken after the first committed) both changes,
-- where without them it could store values computed without the first's change. Locks are taken in id order, as the
-- point append takes its controls, so refreshes cannot deadlock on each other. A generic plan: planning the view
-- anew for each call (a custom plan for its ids) cost about 3 ms of each append, executing it well under 1 ms.
create function refresh_control_latest(ids uuid[]) returns void language plpgsql
set plan_cache_mode = force_generic_plan as $$
begin
  insert into control_latest (control_id, catalog_id, is_listed)
  select id, catalog_id, false from controls where id = any(ids) order by id
  on conflict (control_id) do nothing;
  perform 1 from control_latest where control_id = any(ids) order by control_id for update;
  update control_latest l
     set catalog_id = s.catalog_id, is_listed = not s.is_archived, stale_at = s.stale_at, last_result = s.last_result,
         last_evaluated_at = s.last_evaluated_at, newest_result = newest.result, newest_value = newest.value,
         newest_window_start = newest.window_start, newest_window_end = newest.window_end,
         failing_scopes = (select count(*) from point_latest f where f.control_id = s.control_id and f.result = 'fail')
    from reporting.control_states s
    -- The newest point by window over every scope (the catalog page's order: a tie goes to the later record).
    left join lateral (select p.result, p.value, p.window_start, p.window_end from point_latest p
                        where p.control_id = s.control_id
                        order by p.window_start desc, p.created_at desc limit 1) newest on true
   where s.control_id = any(ids) and l.control_id = s.control_id;
end;
$$;

create function control_latest_after_points() returns trigger language plpgsql as $$
begin
  perform refresh_control_latest(array(select distinct control_id from changed));
  return null;
end;
$$;
-- Statement triggers: one refresh per append, however many points it stores. An append's insert … on conflict
-- fires the insert trigger for new rows and the update trigger for replaced ones.
create trigger control_latest_point_insert after insert on point_latest
  referencing new table as changed for each statement execute function control_latest_after_points();
create trigger control_latest_point_update after update on point_latest
  referencing new table as changed for each statement execute function control_latest_after_points();
create trigger control_latest_point_delete after delete on point_latest
  referencing old table as changed for each statement execute function control_latest_after_points();

-- rebuild_point_reads() empties point_latest before refilling it: refresh what the rows said before.
create function control_latest_after_points_truncated() returns trigger language plpgsql as $$
begin
  perform refresh_control_latest(array(select control_id from control_latest));
  return null;
end;
$$;
create trigger control_latest_point_truncate after truncate on point_latest
  for each statement execute function control_latest_after_points_truncated();

-- A scope set added, renamed or removed changes the scopes a control is evaluated for.
create function control_latest_after_scope_set() returns trigger language plpgsql as $$
begin
  perform refresh_control_latest(array[coalesce(new.control_id, old.control_id), old.control_id]);
  return null;
end;
$$;
create trigger control_latest_scope_set after insert or update or delete on scope_sets
  for each row execute function control_latest_after_scope_set();

-- The columns of a control the view reads (not its chain head, which every append moves).
create function control_latest_after_control() returns trigger language plpgsql as $$
begin
  perform refresh_control_latest(array[new.id]);
  return null;
end;
$$;
create trigger control_latest_control_insert after insert on controls
  for each row when (new.status = 'finalized') execute function control_latest_after_control();
create trigger control_latest_control_update
  after update of catalog_id, status, period, start_date, end_date, mashup_id, kind, stale_grace_minutes, archived_at
  on controls for each row
  when ((old.catalog_id, old.status, old.period, old.start_date, old.end_date, old.mashup_id, old.kind,
         old.stale_grace_minutes, old.archived_at)
        is distinct from
        (new.catalog_id, new.status, new.period, new.start_date, new.end_date, new.mashup_id, new.kind,
         new.stale_grace_minutes, new.archived_at))
  execute function control_latest_after_control();

-- The columns of a catalog the view reads: every control of it is refreshed.
create function control_latest_after_catalog() returns trigger language plpgsql as $$
begin
  perform refresh_control_latest(array(select id from controls where catalog_id = new.id));
  return null;
end;
$$;
create trigger control_latest_catalog_update
  after update of status, start_date, end_date, time_zone, first_day_of_week, archived_at on catalogs for each row
  when ((old.status, old.start_date, old.end_date, old.time_zone, old.first_day_of_week, old.archived_at)
        is distinct from
        (new.status, new.start_date, new.end_date, new.time_zone, new.first_day_of_week, new.archived_at))
  execute function control_latest_after_catalog();

-- Backfill: every control that is finalized or has points.
select refresh_control_latest(array(
  select id from controls c
   where status = 'finalized' or exists (select 1 from point_latest p where p.control_id = c.id)));
