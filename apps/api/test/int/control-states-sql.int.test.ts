import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScheduledRun } from "@status/shared";
import type { Queryable } from "../../src/db/database.ts";
import { nextScheduledRun } from "../../src/modules/overview/next-scheduled-run.ts";
import {
  listCatalogCompliance,
  listControlStatesOfCatalog,
  type ScheduleState,
} from "../../src/modules/overview/overview.repository.ts";
import { listUpcomingRuns } from "../../src/modules/overview/overview.service.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * Migration 0081 keeps the view's stale_at and last result per control in control_latest, which the overview's counts
 * and the catalog page read; the catalog page's controls, latest runs and schedules became one statement. The same
 * comparisons hold them to the definitions before (control-latest.int.test.ts follows the table through each write).
 *
 * Migration 0079 moved the per-scope part of reporting.control_states into reporting.scope_stale_at, called for
 * active controls only, restated reporting.first_window_start as one inlinable expression, and the overview counts the
 * controls that are never due without the view. Each must answer what it replaced: the definitions before 0079
 * (migration 0027's function, migration 0069's view, the overview's query over that view) are recreated in a schema of
 * their own and compared with the current ones on the same varied data.
 */
const BEFORE_0079 = [
  "create schema before_0079",
  `create function before_0079.first_window_start(period text, instant timestamptz, time_zone text, first_day_of_week integer)
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
$$;`,
  `create view before_0079.control_states as
with lives as (
  select c.id as control_id, c.catalog_id, c.name as control_name, c.period, c.threshold, c.status,
         cat.name as catalog_name, cat.time_zone, cat.first_day_of_week, c.stale_grace_minutes,
         greatest(c.start_date, cat.start_date) as life_start,
         least(c.end_date, cat.end_date) as life_end,
         (c.archived_at is not null or cat.archived_at is not null) as is_archived,
         (c.status = 'finalized' and cat.status = 'finalized' and (c.mashup_id is not null or c.kind = 'push')
          and greatest(c.start_date, cat.start_date) is not null
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
                  before_0079.first_window_start(scopes.period, greatest(scopes.life_start, scopes.scope_since),
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
          stale_grace_minutes;`,
];

/** Five catalogs (finalized, ending, draft, archived, not started) × 40 controls, varied in each input of the view. */
const DATA = [
  `insert into catalogs (name, start_date, end_date, time_zone, first_day_of_week, status, finalized_at, archived_at, archive_reason)
   values ('A utc', now() - interval '40 days', null, 'UTC', 1, 'finalized', now(), null, null),
          ('B madrid', now() - interval '400 days', now() + interval '20 days', 'Europe/Madrid', 7, 'finalized', now(), null, null),
          ('C draft', null, null, 'America/St_Johns', 3, 'draft', null, null, null),
          ('D archived', now() - interval '90 days', null, 'UTC', 1, 'finalized', now(), now(), 'archived for the test'),
          ('E not started', now() + interval '10 days', null, 'Asia/Kolkata', 1, 'finalized', now(), null, null)`,
  `insert into controls (catalog_id, name, period, mashup_id, kind, threshold, start_date, end_date, stale_grace_minutes)
   select catalogs.id, 'C' || i, (array['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUALLY'])[1 + i % 5],
          case when i % 7 <> 3 then 'test-pass' end, case when i % 7 = 3 then 'push' else 'mashup' end, 80,
          case when i % 6 = 1 then now() - interval '3 days' when i % 6 = 2 then now() + interval '2 days' end,
          case when i % 8 = 5 then now() - interval '1 day' when i % 8 = 6 then now() + interval '5 days' end,
          case when i % 4 = 0 then 90 end
     from catalogs cross join generate_series(1, 40) i`,
  `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
   select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'test' from controls`,
  "update controls set status = 'finalized', version = 1 where substring(name from 2)::int % 3 <> 0",
  "update controls set archived_at = now(), archive_reason = 'archived for the test' where substring(name from 2)::int % 11 = 0",
  `insert into scope_sets (control_id, values_key, created_at)
   select controls.id, keys.key, now() - (substring(controls.name from 2)::int % 9) * interval '1 day'
     from controls cross join (values ('{"env":"prod"}'), ('{"env":"dev"}')) keys(key)
    where substring(controls.name from 2)::int % 5 in (0, 4)`,
  // Points for the scope sets and for the empty scope (a control's scopes before it had scope sets, which the view
  // leaves out), newest windows from hours to weeks old, each result.
  `insert into point_latest (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end, value, result, created_at)
   select controls.id, keys.key, controls.catalog_id, gen_random_uuid(), '{}'::jsonb, 'engine', w.start, w.start + interval '1 day',
          50, (array['pass', 'fail', 'not_applicable'])[1 + (n + keys.k) % 3], w.start + interval '1 day 1 minute'
     from controls
     cross join lateral (select substring(controls.name from 2)::int as n) i
     cross join (values ('{}', 0), ('{"env":"prod"}', 1), ('{"env":"dev"}', 2)) keys(key, k)
     cross join lateral (select date_trunc('hour', now()) - ((n * 7 + keys.k * 5) % 40) * interval '13 hours' as start) w
    where n % 2 = 0 or (n % 3 = 0 and keys.k <> 1)`,
  // Runs (the catalog page's latest run: two at one instant, the id decides) and schedule cursors (its next run).
  `insert into runs (control_id, scope_key, window_start, window_end, is_provisional, trigger, status, max_attempts, created_at)
   select controls.id, '{}', now() - interval '2 days', now() - interval '1 day', false, 'manual',
          (array['succeeded', 'failed', 'error', 'queued'])[1 + (n + r) % 4], 1,
          date_trunc('hour', now()) - (n % 3) * interval '1 hour' * r
     from controls
     cross join lateral (select substring(controls.name from 2)::int as n) i
     cross join generate_series(0, 2) r
    where n % 4 <> 1`,
  `insert into schedule_cursors (control_id, scope_key, scheduled_through)
   select controls.id, keys.key, date_trunc('day', now()) - (n % 4) * interval '1 day' - keys.k * interval '1 hour'
     from controls
     cross join lateral (select substring(controls.name from 2)::int as n) i
     cross join (values ('{}', 0), ('{"env":"prod"}', 1)) keys(key, k)
    where n % 3 = 1 and (keys.k = 0 or n % 2 = 0)`,
];

describe("reporting.control_states after migration 0079", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    for (const statement of [...BEFORE_0079, ...DATA]) await app.deps.db.query(statement);
  });
  afterAll(() => app?.close());

  it("reporting.first_window_start answers as migration 0027's on every period, zone and first day of week", async () => {
    const { rows } = await app.deps.db.query<{ compared: number; different: number }>(
      `select count(*)::int as compared,
              count(*) filter (where reporting.first_window_start(period, instant, zone, first_day)
                               is distinct from before_0079.first_window_start(period, instant, zone, first_day))::int as different
         from unnest(array['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUALLY']) period
         cross join unnest(array['UTC', 'Europe/Madrid', 'America/St_Johns']) zone
         cross join unnest(array[1, 3, 7]) first_day
         cross join lateral (
           -- Across a DST change in Madrid, with instants off the hour and exactly on local midnights.
           select generate_series(timestamptz '2026-03-25', timestamptz '2026-04-02', interval '7 hours 13 minutes') as instant
           union all
           select (day + time '00:00') at time zone zone
             from generate_series(date '2026-03-27', date '2026-04-01', interval '1 day') day
         ) instants`,
    );
    expect(rows[0]!.compared).toBeGreaterThan(1000);
    expect(rows[0]!.different).toBe(0);
  });

  it("has every column of every control as the view before it", async () => {
    const read = async (view: string) => (await app.deps.db.query(`select * from ${view} order by control_id`)).rows;
    const before = await read("before_0079.control_states");
    expect(before).toHaveLength(200);
    // The data reaches each state and both kinds of control.
    expect(new Set(before.map((row) => row.state))).toEqual(
      new Set(["passing", "failing", "stale", "not_evaluated", "not_applicable"]),
    );
    expect(await read("reporting.control_states")).toEqual(before);
  });

  it("counts each catalog's controls on the overview as the query over the view before it, at several instants", async () => {
    for (const offsetDays of [0, 1, 3, 30, 400]) {
      const at = new Date(Date.now() + offsetDays * 86_400_000);
      const { rows: before } = await app.deps.db.query(
        `select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.status,
                count(states.control_id)::int as "controlCount",
                count(states.last_result)::int as evaluated,
                count(*) filter (where states.state = 'passing')::int as passing,
                count(*) filter (where states.state = 'failing')::int as failing,
                count(*) filter (where states.state = 'stale')::int as stale,
                count(*) filter (where states.state = 'not_evaluated')::int as "notEvaluated",
                count(*) filter (where states.state = 'not_applicable')::int as "notApplicable",
                round(100.0 * count(*) filter (where states.state = 'passing')
                      / nullif(count(*) filter (where states.state in ('passing', 'failing', 'stale')), 0), 2) as compliance
           from catalogs
           left join (select catalog_id, control_id, last_result,
                             reporting.control_state(is_active, stale_at, last_result, $2) as state
                        from before_0079.control_states where not is_archived) states on states.catalog_id = catalogs.id
          where catalogs.archived_at is null
          group by catalogs.id
          order by lower(catalogs.name), catalogs.id
          limit $1`,
        [50, at],
      );
      expect(before).toHaveLength(4);
      expect(await listCatalogCompliance(app.deps.db, 50, at)).toEqual(before);
    }
  });

  it("gives each control of a catalog, in one statement, what the view and the queries before it gave", async () => {
    let withRun = 0;
    let withSchedule = 0;
    const at = new Date(Date.now() + 2 * 86_400_000);
    const { rows: catalogs } = await app.deps.db.query<{ id: string }>("select id from catalogs");
    for (const { id } of catalogs) {
      const { rows: states } = await app.deps.db.query(
        `select controls.id as "controlId", reporting.control_state(is_active, stale_at, last_result, $2) as state,
                stale_at as "staleAt", last_evaluated_at as "lastEvaluatedAt"
           from controls join before_0079.control_states states on states.control_id = controls.id
          where controls.catalog_id = $1 order by lower(controls.name), controls.id`,
        [id, at],
      );
      const { rows: points } = await app.deps.db.query(
        `select distinct on (control_id) control_id as "controlId", result, value, window_start as "windowStart", window_end as "windowEnd"
           from point_latest where catalog_id = $1 order by control_id, window_start desc, created_at desc`,
        [id],
      );
      const { rows: failing } = await app.deps.db.query<{ controlId: string; failing: number }>(
        `select control_id as "controlId", count(*)::int as failing
           from reporting.control_status where catalog_id = $1 and result = 'fail' group by control_id`,
        [id],
      );
      // The latest run of each control, as the query before migration 0081 read it.
      const { rows: runs } = await app.deps.db.query(
        `select distinct on (runs.control_id) runs.control_id as "controlId", runs.id, runs.status,
                runs.created_at as "createdAt", runs.finished_at as "finishedAt"
           from runs join controls on controls.id = runs.control_id
          where controls.catalog_id = $1
          order by runs.control_id, runs.created_at desc, runs.id desc`,
        [id],
      );
      const schedules = await scheduleStatesBefore0081(app.deps.db, id);
      const expected = states.map((row) => {
        const { controlId: _id, ...lastPoint } = points.find((point) => point.controlId === row.controlId) ?? {};
        const { controlId: _run, ...lastRun } = runs.find((run) => run.controlId === row.controlId) ?? {};
        return {
          ...row,
          lastPoint: Object.keys(lastPoint).length > 0 ? lastPoint : null,
          failingScopes: failing.find((count) => count.controlId === row.controlId)?.failing ?? 0,
          lastRun: Object.keys(lastRun).length > 0 ? lastRun : null,
          schedule: schedules.find((schedule) => schedule.controlId === row.controlId) ?? null,
        };
      });
      expect(expected).toHaveLength(40);
      withRun += expected.filter((row) => row.lastRun).length;
      withSchedule += expected.filter((row) => row.schedule?.earliestCursor).length;
      expect(await listControlStatesOfCatalog(app.deps.db, id, at)).toEqual(expected);
    }
    // The data reaches runs and cursors.
    expect(withRun).toBeGreaterThan(50);
    expect(withSchedule).toBeGreaterThan(5);
  });

  it("lists the overview's next runs as the computation per control before migration 0081, at any length", async () => {
    const states = await scheduleStatesBefore0081(app.deps.db, null);
    const before = states
      .flatMap((state): ScheduledRun[] => {
        const next = nextScheduledRun(state);
        if (!next) return [];
        const { controlId, controlName, catalogId, catalogName, period } = state;
        return [{ controlId, controlName, catalogId, catalogName, period, ...next }];
      })
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.controlName.localeCompare(b.controlName));
    // Many controls share a next run (ties broken by name) and many have one of their own.
    expect(new Set(before.map((run) => run.dueAt)).size).toBeGreaterThan(10);
    expect(before.length - new Set(before.map((run) => run.dueAt)).size).toBeGreaterThan(10);
    const deps = { db: app.deps.db, now: () => new Date() };
    for (const limit of [1, 3, 10, 25, 60, 500]) {
      const runs = await listUpcomingRuns(deps, limit);
      // Runs due at the same instant with the same name (one per catalog) come in no defined order, then as now.
      const key = (run: ScheduledRun) => `${run.dueAt} ${run.controlName}`;
      expect(runs.map(key)).toEqual(before.slice(0, limit).map(key));
      for (const run of runs) expect(before).toContainEqual(run);
      expect(new Set(runs.map((run) => run.controlId)).size).toBe(runs.length);
    }
  });
});

/** The schedule of each control the scheduler evaluates, as the overview read it before migration 0081. */
async function scheduleStatesBefore0081(db: Queryable, catalogId: string | null): Promise<ScheduleState[]> {
  const result = await db.query<ScheduleState>(
    `select controls.id as "controlId", controls.name as "controlName", catalogs.id as "catalogId", catalogs.name as "catalogName",
            controls.period, catalogs.time_zone as "timeZone", catalogs.first_day_of_week as "firstDayOfWeek",
            greatest(controls.start_date, catalogs.start_date) as "startDate",
            nullif(least(coalesce(controls.end_date, 'infinity'), coalesce(catalogs.end_date, 'infinity')), 'infinity') as "endDate",
            (select min(scheduled_through) from schedule_cursors where schedule_cursors.control_id = controls.id) as "earliestCursor",
            (select count(*) from schedule_cursors where schedule_cursors.control_id = controls.id)::int as "cursorCount",
            (select count(*) from scope_sets where scope_sets.control_id = controls.id)::int as "scopeSetCount"
       from controls join catalogs on catalogs.id = controls.catalog_id
      where controls.status = 'finalized' and catalogs.status = 'finalized' and controls.mashup_id is not null
        and controls.archived_at is null and catalogs.archived_at is null
        and greatest(controls.start_date, catalogs.start_date) is not null
        and ($1::uuid is null or catalogs.id = $1::uuid)`,
    [catalogId],
  );
  return result.rows;
}
