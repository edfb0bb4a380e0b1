import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCatalogCompliance, listControlStates } from "../../src/modules/overview/index.ts";
import { signInAs } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * control_latest (migration 0081) holds per control what reporting.control_states and point_latest say of it, kept by
 * triggers on every table the view reads. After each kind of write (the points module's append, a batch upsert of
 * point_latest, scope sets added, renamed and removed, controls and catalogs edited, archived and finalized, the read
 * tables rebuilt, two transactions on one control at once) every control's row must equal the view read afresh, and
 * the overview's counts must equal the query over the view that they replaced, at several instants.
 */
describe("control_latest kept by the writes", () => {
  let app: TestApp;
  let appended: ControlIds;
  const base = Date.now() - 3 * DAY;

  beforeAll(async () => {
    app = await startTestApp();
    const developer = await signInAs(app, "DEVELOPER");
    appended = await createHourlyControl(app, developer.token, new Date(base - DAY).toISOString());
    for (const statement of DATA) await app.deps.db.query(statement);
  });
  afterAll(() => app?.close());

  const sql = <Row extends object = Record<string, any>>(text: string, values: unknown[] = []) =>
    app.deps.db.query<Row>(text, values);

  /** The controls whose row differs from the view and point_latest read now (none without a row but a trivial one). */
  async function drift(): Promise<unknown[]> {
    const { rows } = await sql(
      `select c.id, c.name, l.stale_at, s.stale_at as view_stale_at, l.last_result, s.last_result as view_last_result
         from controls c
         join reporting.control_states s on s.control_id = c.id
         left join control_latest l on l.control_id = c.id
         left join lateral (select p.result, p.value, p.window_start, p.window_end from point_latest p
                             where p.control_id = c.id
                             order by p.window_start desc, p.created_at desc limit 1) newest on true
        cross join lateral (select count(*)::int as points, count(*) filter (where p.result = 'fail')::int as failing
                              from point_latest p where p.control_id = c.id) scopes
        where case when l.control_id is null
                   then s.stale_at is not null or s.last_result is not null or scopes.points > 0
                   else (l.catalog_id, l.is_listed, l.stale_at, l.last_result, l.last_evaluated_at, l.newest_result,
                         l.newest_value, l.newest_window_start, l.newest_window_end, l.failing_scopes)
                        is distinct from
                        (s.catalog_id, not s.is_archived, s.stale_at, s.last_result, s.last_evaluated_at, newest.result,
                         newest.value, newest.window_start, newest.window_end, scopes.failing)
              end`,
    );
    return rows;
  }

  /** The overview's counts equal the query over reporting.control_states that they replaced, at several instants. */
  async function expectOverviewAsBefore(): Promise<void> {
    for (const offsetDays of [-2, 0, 1, 3, 30, 400]) {
      const at = new Date(Date.now() + offsetDays * DAY);
      const { rows: before } = await sql(COMPLIANCE_BEFORE_0081, [50, at]);
      expect(await listCatalogCompliance(app.deps.db, 50, at)).toEqual(before);
    }
  }

  it("equals the view after the data is written statement by statement", async () => {
    expect(await drift()).toEqual([]);
    const { rows } = await sql(
      `select reporting.control_state(stale_at is not null, stale_at, last_result, now()) as state, count(*)::int
         from control_latest group by 1`,
    );
    // The data reaches each state.
    expect(new Set(rows.map((row) => row.state))).toEqual(
      new Set(["passing", "failing", "stale", "not_evaluated", "not_applicable"]),
    );
    await expectOverviewAsBefore();
  });

  it("follows the points module's append: new scopes, later and late windows, engine over registry", async () => {
    await appendChosenPoints(app, appended, base, "registry", [
      { hour: 0, result: "pass" },
      { hour: 1, result: "fail", scope: { env: "prod" } },
    ]);
    expect(await drift()).toEqual([]);
    await appendChosenPoints(app, appended, base, "engine", [
      { hour: 1, result: "pass", scope: { env: "prod" } },
      { hour: 5, result: "fail" },
      { hour: 2, result: "not_applicable", scope: { env: "dev" } },
    ]);
    expect(await drift()).toEqual([]);
    await appendChosenPoints(app, appended, base, "engine", [{ hour: 3, result: "pass" }]);
    expect(await drift()).toEqual([]);
    const { rows } = await sql("select last_result, failing_scopes from control_latest where control_id = $1", [
      appended.controlId,
    ]);
    expect(rows).toEqual([{ last_result: "fail", failing_scopes: 1 }]);
  });

  it("follows point_latest written for many controls in one statement", async () => {
    await sql(
      `insert into point_latest as l (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end,
                                      value, result, created_at)
       select id, '{}', catalog_id, gen_random_uuid(), '{}'::jsonb, 'engine', date_trunc('hour', now()) - interval '2 hours',
              date_trunc('hour', now()) - interval '1 hour', 10, 'fail', now()
         from controls where control_number(name) % 4 = 1
       on conflict (control_id, scope_key) do update
         set point_id = excluded.point_id, window_start = excluded.window_start, window_end = excluded.window_end,
             value = excluded.value, result = excluded.result, created_at = excluded.created_at`,
    );
    expect(await drift()).toEqual([]);
    await expectOverviewAsBefore();
  });

  it("follows scope sets added, renamed and removed", async () => {
    await sql(
      `insert into scope_sets (control_id, values_key)
       select id, '{"env":"prod"}' from controls where control_number(name) % 6 = 1
       on conflict do nothing`,
    );
    expect(await drift()).toEqual([]);
    await sql(`update scope_sets set values_key = '{"env":"qa"}' where values_key = '{"env":"dev"}'`);
    expect(await drift()).toEqual([]);
    await sql(`delete from scope_sets where values_key = '{"env":"prod"}' and control_id in (
                 select id from controls where control_number(name) % 5 = 0)`);
    expect(await drift()).toEqual([]);
    await expectOverviewAsBefore();
  });

  it("follows controls edited, archived, restored and finalized", async () => {
    await sql("update controls set archived_at = now(), archive_reason = 'test' where name in ('C1', 'C2', 'C7')");
    await sql("update controls set period = 'WEEKLY', stale_grace_minutes = 30 where name in ('C4', 'C8')");
    await sql("update controls set end_date = now() + interval '1 hour' where name in ('C10', 'C13')");
    await sql("update controls set start_date = now() - interval '100 days' where name = 'C16'");
    expect(await drift()).toEqual([]);
    await sql("update controls set archived_at = null, archive_reason = null where name = 'C7'");
    await sql(`update controls set status = 'finalized', version = 1 where status = 'draft' and name = 'C3'`);
    expect(await drift()).toEqual([]);
    await expectOverviewAsBefore();
  });

  it("follows catalogs moved to another time zone, shortened, archived and restored", async () => {
    await sql("update catalogs set time_zone = 'Asia/Kolkata', first_day_of_week = 7 where name = 'A utc'");
    await sql("update catalogs set end_date = now() + interval '3 days' where name = 'B madrid'");
    await sql("update catalogs set archived_at = now(), archive_reason = 'test' where name = 'E not started'");
    expect(await drift()).toEqual([]);
    await sql("update catalogs set archived_at = null, archive_reason = null where name = 'D archived'");
    await sql("update catalogs set start_date = now() - interval '5 days' where name = 'E not started'");
    expect(await drift()).toEqual([]);
    await expectOverviewAsBefore();
  });

  it("follows the read tables rebuilt from the points (point_latest emptied and refilled)", async () => {
    await sql("select rebuild_point_reads()");
    expect(await drift()).toEqual([]);
    // Only the appended control has points in the points table; every other control lost its latest points.
    const { rows } = await sql("select count(*)::int as count from control_latest where last_result is not null");
    expect(rows[0]!.count).toBe(1);
    await expectOverviewAsBefore();
  });

  it("holds when two transactions change one control at once: the second reads the first's change", async () => {
    const { rows } = await sql("select id, catalog_id from controls where name = 'C5' and catalog_id = $1", [
      (await sql("select id from catalogs where name = 'A utc'")).rows[0]!.id,
    ]);
    const control = rows[0]!;
    const first = await app.deps.db.connect();
    const second = await app.deps.db.connect();
    try {
      await first.query("begin");
      await second.query("begin");
      await first.query(
        `insert into point_latest (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end,
                                   value, result, created_at)
         values ($1, '{}', $2, gen_random_uuid(), '{}', 'engine', now() - interval '1 hour', now(), 10, 'fail', now())
         on conflict (control_id, scope_key) do update set result = 'fail', window_start = excluded.window_start,
            window_end = excluded.window_end, created_at = excluded.created_at`,
        [control.id, control.catalog_id],
      );
      // The second transaction's refresh waits for the first's row lock; it must not store values read before it.
      const adding = second.query("insert into scope_sets (control_id, values_key) values ($1, '{}')", [control.id]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query("commit");
      await adding;
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    expect(await drift()).toEqual([]);
    const state = await sql("select last_result from control_latest where control_id = $1", [control.id]);
    expect(state.rows).toEqual([{ last_result: "fail" }]);
  });

  it("answers the catalog page from the rows for every catalog, and 404 for no catalog", async () => {
    const deps = { db: app.deps.db, now: () => new Date() };
    const { rows: catalogs } = await sql("select id from catalogs");
    for (const { id } of catalogs) {
      const { items } = await listControlStates(deps, id);
      const { rows: view } = await sql(
        `select c.id as "controlId", reporting.control_state(s.is_active, s.stale_at, s.last_result, now()) as state
           from controls c join reporting.control_states s on s.control_id = c.id
          where c.catalog_id = $1 order by lower(c.name), c.id`,
        [id],
      );
      expect(items.map(({ controlId, state }) => ({ controlId, state }))).toEqual(view);
    }
    await expect(listControlStates(deps, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      status: 404,
    });
  });
});

/** Five catalogs (finalized, ending, draft, archived, not started) × 20 controls, varied in each input of the view. */
const DATA = [
  // The number of a control named C<n> (null for the others, which every condition on it then leaves out).
  `create function control_number(name text) returns int language sql immutable as
   $$ select case when name ~ '^C[0-9]+$' then substring(name from 2)::int end $$`,
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
     from catalogs cross join generate_series(1, 20) i
    where catalogs.name in ('A utc', 'B madrid', 'C draft', 'D archived', 'E not started')`,
  `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
   select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'test' from controls where name ~ '^C[0-9]+$'`,
  "update controls set status = 'finalized', version = 1 where control_number(name) % 3 <> 0",
  `update controls set archived_at = now(), archive_reason = 'archived for the test'
    where control_number(name) % 11 = 0`,
  `insert into scope_sets (control_id, values_key, created_at)
   select controls.id, keys.key, now() - (control_number(controls.name) % 9) * interval '1 day'
     from controls cross join (values ('{"env":"prod"}'), ('{"env":"dev"}')) keys(key)
    where control_number(controls.name) % 5 in (0, 4)`,
  `insert into point_latest (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end, value, result, created_at)
   select controls.id, keys.key, controls.catalog_id, gen_random_uuid(), '{}'::jsonb, 'engine', w.start, w.start + interval '1 day',
          50, (array['pass', 'fail', 'not_applicable'])[1 + (n + keys.k) % 3], w.start + interval '1 day 1 minute'
     from controls
     cross join lateral (select control_number(controls.name) as n) i
     cross join (values ('{}', 0), ('{"env":"prod"}', 1), ('{"env":"dev"}', 2)) keys(key, k)
     cross join lateral (select date_trunc('hour', now()) - ((n * 7 + keys.k * 5) % 40) * interval '13 hours' as start) w
    where controls.name ~ '^C[0-9]+$' and (n % 2 = 0 or (n % 3 = 0 and keys.k <> 1))`,
];

/** The overview's compliance-now query before migration 0081, over reporting.control_states. */
const COMPLIANCE_BEFORE_0081 = `
select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.status,
       listed.controls::int as "controlCount",
       count(states.last_result)::int as evaluated,
       count(*) filter (where states.state = 'passing')::int as passing,
       count(*) filter (where states.state = 'failing')::int as failing,
       count(*) filter (where states.state = 'stale')::int as stale,
       (listed.controls - count(*) filter (where states.state <> 'not_evaluated'))::int as "notEvaluated",
       count(*) filter (where states.state = 'not_applicable')::int as "notApplicable",
       round(100.0 * count(*) filter (where states.state = 'passing')
             / nullif(count(*) filter (where states.state in ('passing', 'failing', 'stale')), 0), 2) as compliance
  from catalogs
 cross join lateral (
   select count(*) as controls from controls where controls.catalog_id = catalogs.id and controls.archived_at is null
 ) listed
  left join (
    select catalog_id, last_result, reporting.control_state(true, stale_at, last_result, $2) as state
      from reporting.control_states where is_active
    union all
    select controls.catalog_id, newest.last_result,
           reporting.control_state(false, null, newest.last_result, $2) as state
      from (select control_id,
                   case when bool_or(result = 'fail') then 'fail'
                        when bool_or(result = 'pass') then 'pass'
                        else 'not_applicable' end as last_result
              from point_latest
             where exists (select 1 from scope_sets
                            where scope_sets.control_id = point_latest.control_id
                              and scope_sets.values_key = point_latest.scope_key)
                or (point_latest.scope_key = '{}'
                    and not exists (select 1 from scope_sets where scope_sets.control_id = point_latest.control_id))
             group by control_id) newest
      join controls on controls.id = newest.control_id
      join catalogs inactive on inactive.id = controls.catalog_id
     where controls.archived_at is null and inactive.archived_at is null
       and not (controls.status = 'finalized' and inactive.status = 'finalized'
                and (controls.mashup_id is not null or controls.kind = 'push')
                and greatest(controls.start_date, inactive.start_date) is not null)
  ) states on states.catalog_id = catalogs.id
 where catalogs.archived_at is null
 group by catalogs.id, listed.controls
 order by lower(catalogs.name), catalogs.id
 limit $1`;
