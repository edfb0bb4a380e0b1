-- Read paths at 10 million points (issue 19 item 5): what the overview, the catalog's control states, the registry
-- answers and the Grafana views read, kept beside the points instead of recomputed from the whole table per request.
-- Both tables are derived: the statement that appends points (point-chain.repository.ts appendChainedPoints) keeps
-- them current, and rebuild_point_reads() recomputes them from the points (this migration's backfill, and bulk loads
-- that write points directly). Points themselves are never updated or deleted, so an append is the only change to
-- follow.

-- The newest point of each control and scope: the newest window, the engine's where the engine and the registry both
-- have it (the order reporting.control_status and reporting.control_states always used).
create table point_latest (
  control_id   uuid not null references controls (id) on delete cascade,
  scope_key    text not null,
  catalog_id   uuid not null,
  point_id     uuid not null,
  scope        jsonb not null,
  source       text not null,
  window_start timestamptz not null,
  window_end   timestamptz not null,
  value        numeric(6, 3),
  result       text not null,
  created_at   timestamptz not null,
  primary key (control_id, scope_key)
);
-- reporting.control_status filtered by catalog (GET /catalogs/:id/control-states' failing scopes, Grafana panels).
create index point_latest_catalog_idx on point_latest (catalog_id);

-- Points per control, scope, UTC day of their window's start and source, with their results counted. `shadowed_*`
-- count the registry points of windows the engine computed too: the registry answers count one point per window (the
-- engine's), so they subtract these; the reporting views count every point, as they always did.
create table point_daily (
  catalog_id                  uuid not null,
  day                         timestamp not null,
  control_id                  uuid not null references controls (id) on delete cascade,
  scope_key                   text not null,
  source                      text not null,
  scope                       jsonb not null,
  points                      integer not null,
  passed                      integer not null,
  failed                      integer not null,
  not_applicable              integer not null,
  value_sum                   numeric not null,
  value_count                 integer not null,
  shadowed_points             integer not null default 0,
  shadowed_passed             integer not null default 0,
  shadowed_failed             integer not null default 0,
  shadowed_not_applicable     integer not null default 0,
  shadowed_value_sum          numeric not null default 0,
  shadowed_value_count        integer not null default 0,
  -- reporting.catalog_compliance_daily and the overview's series: a catalog's days from a date on.
  primary key (catalog_id, day, control_id, scope_key, source)
);
-- GET /registry/compliance per control and the registry trends: one control's days.
create index point_daily_control_idx on point_daily (control_id, day);

-- Recomputes both tables from the points: the backfill below, and the benchmarks' bulk loads (npm run bench:scale).
create function rebuild_point_reads() returns void language sql as $$
  truncate point_latest, point_daily;
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
$$;
select rebuild_point_reads();

-- Same columns as migration 0007's view, now one row read per control and scope instead of a sort of every point.
create or replace view reporting.control_status as
select l.catalog_id,
       cat.name        as catalog_name,
       l.control_id,
       c.name          as control_name,
       c.period,
       c.threshold,
       l.scope,
       l.scope_key,
       l.source,
       l.window_start,
       l.window_end,
       l.value,
       l.result
  from point_latest l
  join controls c on c.id = l.control_id
  join catalogs cat on cat.id = l.catalog_id;

-- Same columns as migration 0007's view, summed from the daily rollup; a filter on `day` reaches the rollup's key.
create or replace view reporting.catalog_compliance_daily as
select d.catalog_id,
       cat.name                                               as catalog_name,
       d.day,
       sum(d.points)::bigint                                  as points,
       sum(d.passed)::bigint                                  as passed,
       sum(d.failed)::bigint                                  as failed,
       round(100.0 * sum(d.passed) / nullif(sum(d.passed) + sum(d.failed), 0), 2) as compliance
  from point_daily d
  join catalogs cat on cat.id = d.catalog_id
 group by d.catalog_id, cat.name, d.day;

-- Migration 0027's view with the newest point of each scope read from point_latest (one row) instead of the points.
create or replace view reporting.control_states as
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
    left join point_latest newest on newest.control_id = scopes.control_id and newest.scope_key = scopes.scope_key
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
