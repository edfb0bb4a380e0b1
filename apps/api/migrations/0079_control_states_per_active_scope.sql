-- Issue 19: reporting.control_states computed the due and stale moments of every scope of every control, drafts and
-- archived ones included, although only an active control is ever due or stale (the view's stale_at is null for any
-- other). Those calendar functions were most of the view's cost: 10,000 controls of which 9,500 drafts took seconds.
-- The per-scope part now lives in reporting.scope_stale_at and the view calls it for active controls only; every
-- column of the view keeps its value.

-- Migration 0027's reporting.first_window_start, restated as one expression with the same results (the comparison
-- is in apps/api/test/int/control-states.int.test.ts): its body was a query with a CTE, which Postgres cannot inline,
-- so every call ran the SQL function executor (about 0.3 ms a call). Both functions below inline into their caller.
create function reporting.window_floor(period text, instant timestamptz, time_zone text, first_day_of_week integer)
returns timestamptz language sql stable parallel safe as $$
  select (case period
            when 'HOURLY' then date_trunc('hour', instant at time zone time_zone)
            when 'DAILY' then date_trunc('day', instant at time zone time_zone)
            when 'WEEKLY' then date_trunc('day', instant at time zone time_zone)
                               - ((extract(isodow from instant at time zone time_zone)::int - first_day_of_week + 7) % 7)
                                 * interval '1 day'
            when 'MONTHLY' then date_trunc('month', instant at time zone time_zone)
            else date_trunc('year', instant at time zone time_zone)
          end) at time zone time_zone
$$;
create or replace function reporting.first_window_start(period text, instant timestamptz, time_zone text,
                                                        first_day_of_week integer)
returns timestamptz language sql stable parallel safe as $$
  select case when reporting.window_floor(period, instant, time_zone, first_day_of_week) = instant then instant
              else reporting.add_periods(period, reporting.window_floor(period, instant, time_zone, first_day_of_week),
                                         time_zone, 1)
         end
$$;

-- When a scope whose next window is due from `due_from` is stale: one period after that window starts, plus the
-- grace (one more period when the control has none); never when the window ends after the control's life.
create function reporting.stale_after(period text, due_from timestamptz, life_end timestamptz, time_zone text,
                                      stale_grace_minutes integer)
returns timestamptz language sql stable parallel safe as $$
  select case when reporting.add_periods(period, due_from, time_zone, 1) <= coalesce(life_end, 'infinity')
              then case when stale_grace_minutes is null
                        then reporting.add_periods(period, due_from, time_zone, 2)
                        else reporting.add_periods(period, due_from, time_zone, 1) + stale_grace_minutes * interval '1 minute'
                   end
         end
$$;

-- The per-scope part of reporting.control_states: when one scope of an active control is stale. Its next window
-- follows its newest point (`newest_window_end`), or with none it is the first whole window from `since` (the later
-- of the control's life start and the scope set's creation). A change to this rule replaces this function (or the
-- ones it calls), not the view: restate the view only when its columns change.
create function reporting.scope_stale_at(period text, newest_window_end timestamptz, since timestamptz,
                                         life_end timestamptz, time_zone text, first_day_of_week integer,
                                         stale_grace_minutes integer)
returns timestamptz language sql stable parallel safe as $$
  select reporting.stale_after(period,
                               coalesce(newest_window_end,
                                        reporting.first_window_start(period, since, time_zone, first_day_of_week)),
                               life_end, time_zone, stale_grace_minutes)
$$;

-- Migration 0069's view (the latest), with the per-scope due and stale moments from reporting.scope_stale_at for
-- active controls only.
create or replace view reporting.control_states as
with lives as (
  select c.id as control_id, c.catalog_id, c.name as control_name, c.period, c.threshold, c.status,
         cat.name as catalog_name, cat.time_zone, cat.first_day_of_week, c.stale_grace_minutes,
         greatest(c.start_date, cat.start_date) as life_start,
         least(c.end_date, cat.end_date) as life_end,
         (c.archived_at is not null or cat.archived_at is not null) as is_archived,
         (c.status = 'finalized' and cat.status = 'finalized' and (c.mashup_id is not null or c.kind = 'push')
          and greatest(c.start_date, cat.start_date) is not null
          -- Archived (on its own or with its catalog): no longer evaluated, so never due and never stale.
          and c.archived_at is null and cat.archived_at is null) as is_active
    from controls c
    join catalogs cat on cat.id = c.catalog_id
),
scopes as (
  select lives.*, coalesce(ss.values_key, '{}') as scope_key, ss.created_at as scope_since
    from lives
    left join scope_sets ss on ss.control_id = lives.control_id
),
due as (
  select scopes.*, newest.window_start, newest.window_end, newest.result, newest.created_at as evaluated_at,
         -- Only an active control is due: a draft's or an archived control's scopes skip the calendar functions.
         case when scopes.is_active
              then reporting.scope_stale_at(scopes.period, newest.window_end, greatest(scopes.life_start, scopes.scope_since),
                                            scopes.life_end, scopes.time_zone, scopes.first_day_of_week,
                                            scopes.stale_grace_minutes)
         end as scope_stale_at
    from scopes
    -- The newest point of each scope, from the table migration 0063 keeps.
    left join point_latest newest on newest.control_id = scopes.control_id and newest.scope_key = scopes.scope_key
)
select catalog_id, catalog_name, control_id, control_name, period, threshold, status, is_active, is_archived,
       stale_grace_minutes,
       case when bool_or(result = 'fail') then 'fail'
            when bool_or(result = 'pass') then 'pass'
            when bool_or(result is not null) then 'not_applicable' end as last_result,
       max(window_start) as last_window_start,
       max(window_end) as last_window_end,
       max(evaluated_at) as last_evaluated_at,
       count(*) filter (where result = 'fail') as failing_scopes,
       case when is_active then min(scope_stale_at) end as stale_at,
       reporting.control_state(is_active, case when is_active then min(scope_stale_at) end,
                               case when bool_or(result = 'fail') then 'fail'
                                    when bool_or(result = 'pass') then 'pass'
                                    when bool_or(result is not null) then 'not_applicable' end,
                               now()) as state
  from due
 group by catalog_id, catalog_name, control_id, control_name, period, threshold, status, is_active, is_archived,
          stale_grace_minutes;
