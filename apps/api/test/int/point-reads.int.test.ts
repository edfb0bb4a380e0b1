import type { PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/database.ts";
import { trendBuckets } from "../../src/modules/registry/registry-api.repository.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ChosenPoint, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = 86_400_000;
const BASE = Date.parse("2026-10-01T00:00:00Z");
const at = (ms: number) => new Date(BASE + ms).toISOString();

/**
 * The read tables of migration 0063 (point_latest, point_daily), kept by the append statement, must equal what a
 * from-scratch aggregation of the points gives (rebuild_point_reads, the migration's backfill), whatever order the
 * points arrive in: several scopes, windows in the past arriving late, the registry and the engine on the same window.
 */
describe("point_latest and point_daily kept by the append", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  const hourlyControl = () => createHourlyControl(app, developer.token, at(-DAY));
  const append = (ids: ControlIds, source: "engine" | "registry", points: ChosenPoint[]) =>
    appendChosenPoints(app, ids, BASE, source, points);

  async function readTables(db: Queryable, controlId: string) {
    const latest = await db.query(
      `select control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end, value::float8, result, created_at
         from point_latest where control_id = $1 order by scope_key`,
      [controlId],
    );
    const daily = await db.query(
      `select catalog_id, to_char(day, 'YYYY-MM-DD') as day, control_id, scope_key, source, scope, points, passed, failed,
              not_applicable, value_sum::float8, value_count, shadowed_points, shadowed_passed, shadowed_failed,
              shadowed_not_applicable, shadowed_value_sum::float8, shadowed_value_count
         from point_daily where control_id = $1 order by day, scope_key, source`,
      [controlId],
    );
    return { latest: latest.rows, daily: daily.rows };
  }

  /** `work` on one connection, in a transaction that is rolled back. */
  async function rolledBack<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await app.deps.db.connect();
    try {
      await client.query("begin");
      return await work(client);
    } finally {
      await client.query("rollback");
      client.release();
    }
  }

  /** The tables as rebuilt from the points alone, read in a transaction that is rolled back. */
  const rebuiltTables = (controlId: string) =>
    rolledBack(async (client) => {
      await client.query("select rebuild_point_reads()");
      return readTables(client, controlId);
    });

  it("equal a from-scratch aggregation after late, multi-scope and two-source appends", async () => {
    const ids = await hourlyControl();
    const eu = { region: "eu" };
    const us = { region: "us" };
    await append(ids, "engine", [
      { hour: 0, result: "pass", scope: eu },
      { hour: 1, result: "fail", scope: eu },
      { hour: 0, result: "pass", scope: us },
      { hour: 30, result: "fail", scope: us },
    ]);
    // Late windows, one the day before the newest: the newest point stays, the older day's counts grow.
    await append(ids, "engine", [
      { hour: 5, result: "not_applicable", scope: eu },
      { hour: 25, result: "pass", scope: us },
    ]);
    // The registry answers windows the engine has (shadowed) and one it has not (counted).
    await append(ids, "registry", [
      { hour: 1, result: "not_applicable", scope: eu },
      { hour: 30, result: "not_applicable", scope: us },
      { hour: 40, result: "fail", scope: us },
    ]);
    // The engine computes a window the registry answered first: the registry's point becomes shadowed.
    await append(ids, "engine", [{ hour: 40, result: "pass", scope: us }]);

    const kept = await readTables(app.deps.db, ids.controlId);
    expect(kept).toEqual(await rebuiltTables(ids.controlId));

    const latest = new Map(kept.latest.map((row) => [row.scope_key as string, row]));
    expect(latest.get(JSON.stringify(eu))).toMatchObject({ source: "engine", result: "not_applicable" });
    expect(latest.get(JSON.stringify(us))).toMatchObject({ source: "engine", result: "pass" });
    expect(new Date(latest.get(JSON.stringify(us))!.window_start as string).toISOString()).toBe(at(40 * 3_600_000));

    const registryDay2 = kept.daily.find((row) => row.source === "registry" && row.day === "2026-10-02");
    expect(registryDay2).toMatchObject({
      points: 2,
      passed: 0,
      failed: 1,
      not_applicable: 1,
      shadowed_points: 2,
      shadowed_failed: 1,
      shadowed_not_applicable: 1,
    });
  });

  it("feed reporting.control_status and reporting.catalog_compliance_daily with their columns unchanged", async () => {
    const ids = await hourlyControl();
    await append(ids, "engine", [
      { hour: 0, result: "pass" },
      { hour: 1, result: "fail" },
      { hour: 24, result: "pass" },
    ]);
    await append(ids, "registry", [{ hour: 1, result: "not_applicable" }]);
    const status = await app.deps.db.query("select * from reporting.control_status where control_id = $1", [
      ids.controlId,
    ]);
    expect(status.rows).toHaveLength(1);
    expect(status.rows[0]).toMatchObject({ result: "pass", source: "engine", threshold: 80 });
    const daily = await app.deps.db.query(
      `select points::int, passed::int, failed::int, compliance::float8 from reporting.catalog_compliance_daily
        where catalog_id = $1 order by day`,
      [ids.catalogId],
    );
    // Every point counts in the view, the registry's shadowed one too, as migration 0007's view counted them.
    expect(daily.rows).toEqual([
      { points: 3, passed: 1, failed: 1, compliance: 50 },
      { points: 1, passed: 1, failed: 0, compliance: 100 },
    ]);
  });

  it("answer GET /registry/compliance as a count of the eligible points themselves would, for any filter", async () => {
    const ids = await hourlyControl();
    const eu = { region: "eu" };
    const us = { region: "us" };
    const hours = Array.from({ length: 60 }, (_, hour) => hour);
    const results: ChosenPoint["result"][] = ["pass", "fail", "not_applicable", "pass"];
    await append(
      ids,
      "engine",
      hours.filter((hour) => hour % 5 !== 0).map((hour) => ({ hour, result: results[hour % 4]!, scope: eu })),
    );
    await append(
      ids,
      "registry",
      hours.map((hour) => ({ hour, result: results[(hour + 1) % 4]!, scope: hour % 2 ? eu : us })),
    );
    const user = await signInAs(app, "USER");
    /** What the answer counts, straight from the points: one per window, the engine's where both exist. */
    const fromPoints = async (filters: { from?: string; to?: string; source?: string; scope?: string }) => {
      const result = await app.deps.db.query(
        `select count(*)::int as "pointCount", (count(*) filter (where result = 'pass'))::int as "passCount",
                (count(*) filter (where result = 'fail'))::int as "failCount",
                (count(*) filter (where result = 'not_applicable'))::int as "notApplicableCount",
                round(avg(value), 3)::float8 as "averageValue"
           from (select distinct on (scope_key, window_start) * from points
                  where catalog_id = $1 and ($2::timestamptz is null or window_start >= $2) and ($3::timestamptz is null or window_start < $3)
                    and ($4::text is null or source = $4) and ($5::jsonb is null or scope @> $5)
                  order by scope_key, window_start, (source = 'engine') desc) e`,
        [ids.catalogId, filters.from ?? null, filters.to ?? null, filters.source ?? null, filters.scope ?? null],
      );
      return result.rows[0];
    };
    const cases: Record<string, string>[] = [
      {},
      { source: "registry" },
      { source: "engine" },
      { from: at(7 * 3_600_000 + 60_000) },
      { to: at(30 * 3_600_000) },
      { from: at(3 * 3_600_000), to: at(50 * 3_600_000), scope: "region:eu" },
      { from: at(25 * 3_600_000), to: at(26 * 3_600_000) },
    ];
    for (const filters of cases) {
      const query = new URLSearchParams({ catalog_id: ids.catalogId, ...filters });
      const response = await request(app, "GET", `/api/v1/registry/compliance?${query}`, { token: user.token });
      expect(response.status, response.text).toBe(200);
      const expected = await fromPoints({
        ...filters,
        scope: "scope" in filters ? JSON.stringify({ region: "eu" }) : undefined,
      });
      expect(response.body.summary, JSON.stringify(filters)).toMatchObject(expected);
      expect(response.body.items[0], JSON.stringify(filters)).toMatchObject(expected);
    }
  });

  /** 60 hours over three UTC days: the engine's points (one window in five missing) and the registry's, two scopes. */
  async function twoSourceControl(): Promise<ControlIds> {
    const ids = await hourlyControl();
    const hours = Array.from({ length: 60 }, (_, hour) => hour);
    const results: ChosenPoint["result"][] = ["pass", "fail", "not_applicable", "pass"];
    await append(
      ids,
      "engine",
      hours
        .filter((hour) => hour % 5 !== 0)
        .map((hour) => ({ hour, result: results[hour % 4]!, scope: { region: "eu" } })),
    );
    await append(
      ids,
      "registry",
      hours.map((hour) => ({ hour, result: results[(hour + 1) % 4]!, scope: { region: hour % 2 ? "eu" : "us" } })),
    );
    return ids;
  }

  it("answer GET /registry/trends as bucketing the eligible points would, in any zone, period and filter", async () => {
    const ids = await twoSourceControl();
    const user = await signInAs(app, "USER");
    /** The trend straight from the points: one per window (the engine's where both exist), bucketed in the zone. */
    const fromPoints = async (zone: string, unit: string, filters: Record<string, string>) => {
      const result = await app.deps.db.query(
        `select (date_trunc($7, window_start at time zone $6) at time zone $6) as "bucketStart",
                count(*)::int as "pointCount", (count(*) filter (where result = 'pass'))::int as "passCount",
                (count(*) filter (where result = 'fail'))::int as "failCount",
                (count(*) filter (where result = 'not_applicable'))::int as "notApplicableCount",
                round(100.0 * count(*) filter (where result = 'pass')
                      / nullif(count(*) filter (where result in ('pass', 'fail')), 0), 3)::float8 as compliance,
                round(avg(value), 3)::float8 as "averageValue"
           from (select distinct on (scope_key, window_start) * from points
                  where control_id = $1 and ($2::timestamptz is null or window_start >= $2) and ($3::timestamptz is null or window_start < $3)
                    and ($4::text is null or source = $4) and ($5::jsonb is null or scope @> $5)
                  order by scope_key, window_start, (source = 'engine') desc) e
          group by 1 order by 1`,
        [
          ids.controlId,
          filters.from ?? null,
          filters.to ?? null,
          filters.source ?? null,
          filters.scope ? JSON.stringify({ region: "eu" }) : null,
          zone,
          unit,
        ],
      );
      return result.rows.map((row) => ({ ...row, bucketStart: new Date(row.bucketStart as string).toISOString() }));
    };
    const cases: Record<string, string>[] = [
      {},
      { source: "registry" },
      { source: "engine", scope: "region:eu" },
      { from: at(7 * 3_600_000 + 60_000) },
      { from: at(3 * 3_600_000), to: at(50 * 3_600_000) },
      { from: at(25 * 3_600_000), to: at(26 * 3_600_000) },
    ];
    // UTC days are rollup days; New York's and Kolkata's (UTC+5:30) straddle two of them.
    for (const zone of ["UTC", "America/New_York", "Asia/Kolkata"]) {
      await app.deps.db.query("update catalogs set time_zone = $2 where id = $1", [ids.catalogId, zone]);
      for (const [period, unit] of [
        ["daily", "day"],
        ["weekly", "week"],
        ["monthly", "month"],
      ] as const) {
        for (const filters of cases) {
          const query = new URLSearchParams({ control_id: ids.controlId, period, ...filters });
          const response = await request(app, "GET", `/api/v1/registry/trends?${query}`, { token: user.token });
          expect(response.status, response.text).toBe(200);
          const expected = await fromPoints(zone, unit, filters);
          const label = JSON.stringify({ zone, period, ...filters });
          expect(response.body.items, label).toEqual(expected);
          expect(response.body.total, label).toBe(expected.length);
        }
      }
    }
  });

  it("count a UTC catalog's whole days for GET /registry/trends from point_daily, not from the points", async () => {
    const ids = await twoSourceControl();
    await rolledBack(async (client) => {
      // A marker only the rollup holds: 1,000 more passing points on the first day.
      await client.query(
        `update point_daily set points = points + 1000, passed = passed + 1000
          where control_id = $1 and source = 'engine' and day = '2026-10-01'`,
        [ids.controlId],
      );
      const pointCounts = async (period: "daily" | "monthly", zone: string) =>
        (await trendBuckets(client, ids, period, zone, 1, 50)).items.map((bucket) => bucket.pointCount);
      expect(await pointCounts("daily", "UTC")).toEqual([1033, 34, 17]);
      expect(await pointCounts("monthly", "Asia/Kolkata")).toEqual([84]);
    });
  });

  it("read a control's rollup rows from point_daily_control_counts_idx alone, not from the heap", async () => {
    const ids = await twoSourceControl();
    await rolledBack(async (client) => {
      // The test's few rows would be read whole: the plan Postgres takes where there are thousands per control.
      await client.query("set local enable_seqscan = off");
      await client.query("set local enable_bitmapscan = off");
      const plans: string[] = [];
      const explaining = {
        query: async (sql: string, values: unknown[]) => {
          const plan = await client.query(`explain (format json) ${sql}`, values);
          plans.push(JSON.stringify(plan.rows[0]));
          return { rows: [] };
        },
      } as unknown as Queryable;
      await trendBuckets(explaining, ids, "daily", "UTC", 1, 50);
      expect(plans[0]).toMatch(/"Node Type":"Index Only Scan"[^}]*"Index Name":"point_daily_control_counts_idx"/);
    });
  });
});
