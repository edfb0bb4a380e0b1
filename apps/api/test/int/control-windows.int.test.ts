import type { PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTROL_OWNER_COLUMN } from "../../src/db/handling-columns.ts";
import { FAILED_CONTROLS_SQL } from "../../src/modules/overview/failures.repository.ts";
import { signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ChosenPoint, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const HOUR = 3_600_000;
const BASE = Date.parse("2026-09-01T00:00:00Z");
const at = (hour: number) => new Date(BASE + hour * HOUR).toISOString();

/** The answer as migration 0040's query computed it from the points alone: what control_windows must reproduce. */
const PREVIOUS_FAILED_CONTROLS_SQL = `with failed as (
     select points.control_id, count(distinct points.window_start)::int as failed_windows,
            max(points.window_start) as newest_failed
       from points
       join controls on controls.id = points.control_id and controls.archived_at is null
       join catalogs on catalogs.id = controls.catalog_id and catalogs.archived_at is null
      where points.result = 'fail' and points.window_start >= $1 and points.window_start < $2
        and ($3::uuid is null or points.catalog_id = $3::uuid)
      group by points.control_id
   ),
   listed as (
     select failed.*, count(*) over ()::int as total from failed order by newest_failed desc, control_id limit $5
   )
   select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.time_zone as "timeZone",
          controls.id as "controlId", controls.name as "controlName", controls.period,
          state.value as state, ${CONTROL_OWNER_COLUMN} as owner, listed.failed_windows as "failedWindows",
          evaluated.windows as "evaluatedWindows",
          listed.newest_failed as "newestFailedWindowStart", newest.window_end as "newestFailedWindowEnd",
          newest.computation_id as "newestFailedComputationId",
          case when state.value = 'failing' then coalesce(streak.since, listed.newest_failed) end as "failingSince",
          listed.total
     from listed
     join controls on controls.id = listed.control_id
     join catalogs on catalogs.id = controls.catalog_id
     cross join lateral (
       select reporting.control_state(states.is_active, states.stale_at, states.last_result, $4) as value
         from reporting.control_states states where states.control_id = listed.control_id
     ) state
     cross join lateral (
       select count(distinct points.window_start)::int as windows
         from points where points.control_id = listed.control_id and points.window_start >= $1 and points.window_start < $2
     ) evaluated
     cross join lateral (
       select points.window_end, points.computation_id
         from points
        where points.control_id = listed.control_id and points.window_start = listed.newest_failed and points.result = 'fail'
        order by points.computation_id is null, points.created_at desc
        limit 1
     ) newest
     left join lateral (
       -- The streak: failing windows after the newest window without a failure, found by walking the control's
       -- windows backwards (an index-only scan that stops at the first such window).
       select min(points.window_start) as since
         from points
        where state.value = 'failing' and points.control_id = listed.control_id and points.result = 'fail'
          and points.window_start > coalesce((
                select windows.window_start
                  from (select recent.window_start, bool_or(recent.result = 'fail') as failed
                          from points recent
                         where recent.control_id = listed.control_id
                         group by recent.window_start
                         order by recent.window_start desc) windows
                 where not windows.failed
                 limit 1), '-infinity')
     ) streak on true
    order by listed.newest_failed desc, lower(controls.name), controls.id`;

/**
 * control_windows (migration 0093), kept by a statement trigger on points, must equal a rebuild from the points
 * (rebuild_point_reads), and "Failed in this period" read from it must answer exactly what the query over the points
 * answered, whatever the appends: several scopes, both sources, late windows, a window that starts failing after it
 * was stored as passing, several windows a day, archived controls and catalogs, a catalog filter, the period's edges.
 */
describe("control_windows kept by the points trigger", () => {
  let app: TestApp;
  let developer: TestUser;
  const controls: ControlIds[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  const append = (ids: ControlIds, source: "engine" | "registry", points: ChosenPoint[]) =>
    appendChosenPoints(app, ids, BASE, source, points);

  /** `work` on one connection, in a transaction that is rolled back. */
  async function rolledBack<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await app.deps.db.connect();
    try {
      await client.query("begin isolation level repeatable read");
      return await work(client);
    } finally {
      await client.query("rollback");
      client.release();
    }
  }

  const readWindows = (db: Pick<PoolClient, "query">) =>
    db
      .query(
        `select control_id, window_start, failed, windows_before, failed_before from control_windows
          where control_id = any($1::uuid[]) order by control_id, window_start`,
        [controls.map((ids) => ids.controlId)],
      )
      .then((result) => result.rows);

  async function expectTableAsRebuilt() {
    const kept = await readWindows(app.deps.db);
    const rebuilt = await rolledBack(async (client) => {
      await client.query("select rebuild_point_reads()");
      return readWindows(client);
    });
    // What the table means, counted from the points here too: a rebuild that left the table alone would pass above.
    const counted = await app.deps.db.query(
      `select control_id, window_start, failed, (row_number() over run)::int - 1 as windows_before,
              (count(*) filter (where failed) over run)::int - failed::int as failed_before
         from (select control_id, window_start, bool_or(result = 'fail') as failed from points
                where control_id = any($1::uuid[]) group by control_id, window_start) windows
       window run as (partition by control_id order by window_start)
        order by control_id, window_start`,
      [controls.map((ids) => ids.controlId)],
    );
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
    expect(kept).toEqual(counted.rows);
  }

  /** Both queries on one snapshot, for every period, catalog filter, instant and limit worth telling apart. */
  async function expectAnswersAsBefore() {
    const periods = [
      [0, 72],
      [1, 2], // one window, its start on the period's start
      [2, 3], // the window ending where a failing one starts: excluded
      [5, 30],
      [24, 48],
      [47, 200],
      [-100, 0], // nothing
    ];
    const catalogIds = [null, ...new Set(controls.map((ids) => ids.catalogId))];
    const instants = [at(49), at(60), at(500)];
    await rolledBack(async (client) => {
      let listed = 0;
      for (const [from, to] of periods)
        for (const catalogId of catalogIds)
          for (const instant of instants)
            for (const limit of [500, 1]) {
              const values = [at(from!), at(to!), catalogId, instant, limit];
              const before = await client.query(PREVIOUS_FAILED_CONTROLS_SQL, values);
              const now = await client.query(FAILED_CONTROLS_SQL, values);
              expect(now.rows, JSON.stringify(values)).toEqual(before.rows);
              listed += now.rows.length;
            }
      expect(listed).toBeGreaterThan(0);
    });
  }

  it("equals a rebuild from the points and answers as the points did, over appends of every kind", async () => {
    const first = await createHourlyControl(app, developer.token, at(-24));
    const second = await createHourlyControl(app, developer.token, at(-24));
    const third = await createHourlyControl(app, developer.token, at(-24));
    controls.push(first, second, third);
    const eu = { region: "eu" };
    const us = { region: "us" };

    // Several scopes and windows a day; a streak of failures at the end of the first control.
    await append(first, "engine", [
      { hour: 0, result: "pass", scope: eu },
      { hour: 0, result: "pass", scope: us },
      { hour: 1, result: "fail", scope: eu },
      { hour: 1, result: "pass", scope: us },
      { hour: 2, result: "pass", scope: eu },
      { hour: 3, result: "fail", scope: us },
      { hour: 47, result: "pass", scope: eu },
      { hour: 48, result: "fail", scope: eu },
    ]);
    await append(first, "engine", [
      { hour: 48, result: "pass", scope: us },
      { hour: 49, result: "fail", scope: us },
    ]);
    // Late windows, a passing one and one that fails, and a window stored as passing that a later scope fails.
    await append(first, "engine", [
      { hour: 24, result: "not_applicable", scope: eu },
      { hour: 25, result: "fail", scope: eu },
      { hour: 47, result: "fail", scope: us },
    ]);
    // The registry: a window the engine computed (its failure counts for the window), and ones it did not.
    await append(first, "registry", [
      { hour: 2, result: "fail", scope: us },
      { hour: 30, result: "fail", scope: eu },
      { hour: 31, result: "pass", scope: eu },
    ]);
    await append(second, "registry", [
      { hour: 5, result: "fail" },
      { hour: 6, result: "not_applicable" },
      { hour: 7, result: "fail" },
    ]);
    // The engine computes a window the registry answered first.
    await append(second, "engine", [
      { hour: 6, result: "fail" },
      { hour: 8, result: "pass" },
      { hour: 48, result: "fail" },
    ]);
    await append(third, "engine", [
      { hour: 10, result: "fail" },
      { hour: 48, result: "fail" },
    ]);
    await expectTableAsRebuilt();
    await expectAnswersAsBefore();

    // Archived: a control on its own, then the catalog of another.
    await app.deps.db.query("update controls set archived_at = now(), archive_reason = 'test' where id = $1", [
      second.controlId,
    ]);
    await expectAnswersAsBefore();
    await app.deps.db.query("update catalogs set archived_at = now(), archive_reason = 'test' where id = $1", [
      third.catalogId,
    ]);
    await expectAnswersAsBefore();
    await expectTableAsRebuilt();
  });
});
