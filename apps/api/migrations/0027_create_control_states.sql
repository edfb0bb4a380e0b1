-- Stale is a state: a finalized, active control whose next window after its newest point has closed, and a grace
-- has passed since, without a point is *stale* — so "passing" never hides "not checked for three weeks".

-- How long after a window closes its point may still arrive before the control is stale; null: one period.
alter table controls
  add column stale_grace_minutes integer
    constraint controls_stale_grace_minutes_check check (stale_grace_minutes between 1 and 527040);

-- `instant` plus `count` periods on the catalog's calendar (local months, days and weeks; hours in elapsed time, as
-- the API's windows count them).
create function reporting.add_periods(period text, instant timestamptz, time_zone text, count integer)
returns timestamptz language sql stable parallel safe as $$
  select case period
    when 'HOURLY' then instant + count * interval '1 hour'
    else ((instant at time zone time_zone) + count * case period
            when 'DAILY' then interval '1 day'
            when 'WEEKLY' then interval '7 days'
            when 'MONTHLY' then interval '1 month'
            else interval '1 year' end) at time zone time_zone
  end
$$;

-- The start of the first window at or after `instant`, with the API's boundaries (domain/windows.ts): local midnight
-- in the catalog's zone, weeks from its first day of week (1 = Monday … 7 = Sunday).
create function reporting.first_window_start(period text, instant timestamptz, time_zone text, first_day_of_week integer)
returns timestamptz language sql stable parallel safe as $$
  with local as (select instant at time zone time_zone as at),
  floor as (
    select case period
      when 'HOURLY' then date_trunc('hour', local.at)
      when 'DAILY' then date_trunc('day', local.at)
      when 'WEEKLY' then date_trunc('day', local.at)
                         - ((extract(isodow from local.at)::int - first_day_of_week + 7) % 7) * interval '1 day'
      when 'MONTHLY' then date_trunc('month', local.at)
      else date_trunc('year', local.at)
    end at time zone time_zone as start
    from local
  )
  select case when floor.start = instant then instant else reporting.add_periods(period, floor.start, time_zone, 1) end
    from floor
$$;

-- The state of a control at an instant, from the facts reporting.control_states gathers. One definition: the view
-- below applies it at now(), the API at its own clock. Stale wins over the last result, and is never passing.
create function reporting.control_state(is_active boolean, stale_at timestamptz, last_result text, at timestamptz)
returns text language sql immutable parallel safe as $$
  select case
    when is_active and stale_at <= at then 'stale'
    when last_result = 'pass' then 'passing'
    when last_result = 'fail' then 'failing'
    when last_result = 'not_applicable' then 'not_applicable'
    else 'not_evaluated'
  end
$$;

-- One row per control: its newest point over the scopes it is evaluated for now (its scope sets, or the empty scope),
-- and when it is, or becomes, stale. For each scope, the next window after its newest point (or, with none, its first
-- whole window inside the control's life) is due one period after it starts, plus the grace; the control is stale
-- from the earliest such moment over its scopes. A window ending after the control's end is never due.
create view reporting.control_states as
with lives as (
  select c.id as control_id, c.catalog_id, c.name as control_name, c.period, c.threshold, c.status,
         cat.name as catalog_name, cat.time_zone, cat.first_day_of_week, c.stale_grace_minutes,
         greatest(c.start_date, cat.start_date) as life_start,
         least(c.end_date, cat.end_date) as life_end,
         (c.archived_at is not null or cat.archived_at is not null) as is_archived,
         (c.status = 'finalized' and cat.status = 'finalized' and c.mashup_id is not null
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
latest as (
  select scopes.*, newest.window_start, newest.window_end, newest.result, newest.created_at as evaluated_at,
         coalesce(newest.window_end,
                  reporting.first_window_start(scopes.period, greatest(scopes.life_start, scopes.scope_since),
                                               scopes.time_zone, scopes.first_day_of_week)) as due_from
    from scopes
    left join lateral (
      select p.window_start, p.window_end, p.result, p.created_at
        from points p
       where p.control_id = scopes.control_id and p.scope_key = scopes.scope_key
       order by p.window_start desc, p.source
       limit 1
    ) newest on true
),
due as (
  select latest.*,
         case when reporting.add_periods(period, due_from, time_zone, 1) <= coalesce(life_end, 'infinity')
              then case when stale_grace_minutes is null
                        then reporting.add_periods(period, due_from, time_zone, 2)
                        else reporting.add_periods(period, due_from, time_zone, 1) + stale_grace_minutes * interval '1 minute'
                   end
         end as scope_stale_at
    from latest
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
