import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAs } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * Migration 0090 makes the refresh of control_latest cheaper without changing what it stores
 * (control-latest.int.test.ts holds the table equal to the view through every write): reporting.scope_stale_at
 * computes its due moment once so that reporting.stale_after inlines, and an empty transition table refreshes nothing.
 */
describe("control_latest refresh after migration 0090", () => {
  let app: TestApp;
  let ids: ControlIds;
  const base = Date.now() - 2 * 86_400_000;

  beforeAll(async () => {
    app = await startTestApp();
    const developer = await signInAs(app, "DEVELOPER");
    ids = await createHourlyControl(app, developer.token, new Date(base - 86_400_000).toISOString());
    await appendChosenPoints(app, ids, base, "engine", [
      { hour: 0, result: "pass" },
      { hour: 1, result: "fail" },
    ]);
  });
  afterAll(() => app?.close());

  it("reporting.scope_stale_at answers as migration 0079's definition across periods, zones, grace and life ends", async () => {
    const { rows } = await app.deps.db.query<{ compared: number; different: number; nulls: number }>(
      `with before_0090(p, newest, since, life_end, zone, first_day, grace, stale_at) as (
         select p, newest, since, life_end, zone, first_day, grace,
                reporting.stale_after(p, coalesce(newest, reporting.first_window_start(p, since, zone, first_day)),
                                      life_end, zone, grace)
           from unnest(array['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUALLY']) p
          cross join unnest(array[null, '2026-03-08 07:00Z', '2026-11-01 05:30Z', '2026-01-31 00:00Z',
                                  '2026-03-29 01:00Z', '2024-02-29 23:00Z']::timestamptz[]) newest
          cross join unnest(array['2026-03-08 06:59:59Z', '2026-11-01 06:00Z', '2026-01-31 00:00Z',
                                  '2026-03-29 00:30Z', '2020-01-01 00:00Z']::timestamptz[]) since
          cross join unnest(array[null, '2026-03-10Z', '2027-01-01Z', '2026-11-01 06:00Z']::timestamptz[]) life_end
          cross join unnest(array['UTC', 'America/New_York', 'Europe/Madrid', 'America/St_Johns',
                                  'Australia/Lord_Howe']) zone
          cross join unnest(array[1, 3, 7]) first_day
          cross join unnest(array[null, 0, 90, 1440]) grace
       )
       select count(*)::int as compared, count(stale_at)::int as nulls,
              count(*) filter (where reporting.scope_stale_at(p, newest, since, life_end, zone, first_day, grace)
                               is distinct from stale_at)::int as different
         from before_0090`,
    );
    expect(rows[0]!.compared).toBeGreaterThan(30_000);
    // Both kinds of answer are compared: a moment, and never (a window ending after the life).
    expect(rows[0]!.nulls).toBeGreaterThan(1000);
    expect(rows[0]!.nulls).toBeLessThan(rows[0]!.compared);
    expect(rows[0]!.different).toBe(0);
  });

  it("evaluates reporting.stale_after inline in the view, not through a function call per scope", async () => {
    const { rows } = await app.deps.db.query<{ "QUERY PLAN": string }>(
      "explain verbose select stale_at from reporting.control_states",
    );
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toContain("reporting.scope_stale_at(");
    expect(plan).not.toContain("reporting.stale_after(");
  });

  it("refreshes once per append that only moves scopes' newest points, and not for the empty transition table", async () => {
    const client = await app.deps.db.connect();
    let calls: number;
    try {
      await client.query("begin");
      await client.query("set local track_functions = 'pl'");
      // A later window of the control's scope: the upsert below updates point_latest and inserts nothing.
      await client.query(
        `update point_latest set window_start = window_start + interval '2 hours', window_end = window_end + interval '2 hours'
          where control_id = $1`,
        [ids.controlId],
      );
      await client.query(
        `insert into point_latest (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end,
                                   value, result, created_at)
         select control_id, scope_key, catalog_id, point_id, scope, source, window_start + interval '1 hour',
                window_end + interval '1 hour', value, result, created_at
           from point_latest where control_id = $1
         on conflict (control_id, scope_key) do update set window_start = excluded.window_start,
                                                          window_end = excluded.window_end`,
        [ids.controlId],
      );
      const { rows } = await client.query<{ calls: number }>(
        "select coalesce(sum(calls), 0)::int as calls from pg_stat_xact_user_functions where funcname = 'refresh_control_latest'",
      );
      calls = rows[0]!.calls;
    } finally {
      await client.query("rollback");
      client.release();
    }
    // One for the update statement, one for the upsert's update trigger; none for its empty insert trigger.
    expect(calls).toBe(2);
  });
});
