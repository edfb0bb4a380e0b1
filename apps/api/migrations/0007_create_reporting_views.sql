-- Curated reporting views for dashboards (Grafana) and read-only integrations. They live in their own schema so a
-- read-only role can be granted exactly this schema and nothing else: the views run with their owner's rights, so
-- such a role reads compliance data without any right on users, tokens, secrets or the audit log.
create schema if not exists reporting;

-- Every guarantee point with the names of its catalog and control.
create view reporting.points as
select p.id            as point_id,
       p.catalog_id,
       cat.name        as catalog_name,
       p.control_id,
       c.name          as control_name,
       c.period,
       p.source,
       p.scope,
       p.scope_key,
       p.window_start,
       p.window_end,
       p.value,
       p.threshold,
       p.result,
       p.created_at
  from points p
  join controls c on c.id = p.control_id
  join catalogs cat on cat.id = p.catalog_id;

-- The latest point of each control and scope: the current state shown on "failing controls" panels.
create view reporting.control_status as
select distinct on (p.control_id, p.scope_key)
       p.catalog_id,
       cat.name        as catalog_name,
       p.control_id,
       c.name          as control_name,
       c.period,
       c.threshold,
       p.scope,
       p.scope_key,
       p.source,
       p.window_start,
       p.window_end,
       p.value,
       p.result
  from points p
  join controls c on c.id = p.control_id
  join catalogs cat on cat.id = p.catalog_id
 order by p.control_id, p.scope_key, p.window_start desc, p.source;

-- Compliance per catalog and UTC day: the share of passing points among those that were evaluated (pass or fail).
create view reporting.catalog_compliance_daily as
select p.catalog_id,
       cat.name                                               as catalog_name,
       date_trunc('day', p.window_start at time zone 'UTC') as day,
       count(*)                                               as points,
       count(*) filter (where p.result = 'pass')              as passed,
       count(*) filter (where p.result = 'fail')              as failed,
       round(100.0 * count(*) filter (where p.result = 'pass')
             / nullif(count(*) filter (where p.result in ('pass', 'fail')), 0), 2) as compliance
  from points p
  join catalogs cat on cat.id = p.catalog_id
 group by p.catalog_id, cat.name, date_trunc('day', p.window_start at time zone 'UTC');

-- Runs without who asked for them: status, attempts and timings for "run health" panels.
create view reporting.runs as
select r.id           as run_id,
       c.catalog_id,
       r.control_id,
       c.name         as control_name,
       r.scope_key,
       r.window_start,
       r.window_end,
       r.trigger,
       r.status,
       r.attempts,
       r.queued_at,
       r.started_at,
       r.finished_at,
       r.duration_ms,
       r.error
  from runs r
  join controls c on c.id = r.control_id;
