import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivedTableDrift } from "../../bench/derived-tables.ts";
import { seed } from "../../bench/scale-data.ts";
import { loadVerifyChain } from "../../bench/verify-chain-data.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const HOUR = 3_600_000;

/**
 * bench:scale writes its points in bulk, around the append and the triggers that keep point_latest, point_daily,
 * control_latest and the catalogs' control counts, so what it measures is only what the application would read if
 * those tables end up as the writes would have left them. Checked on a small set of the same shape: the scale data
 * (100 controls × 5 scopes) and then the long chain the verification is timed on, which goes into the same catalog.
 */
describe("the scale benchmark's data", () => {
  let app: TestApp;
  const end = Math.floor(Date.now() / HOUR) * HOUR;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  const inStep = {
    pointLatest: 0,
    pointDaily: 0,
    controlWindows: 0,
    controlLatest: 0,
    catalogControlCounts: 0,
    chainHeads: 0,
  };

  it("leaves every derived table as the triggers and the append would have", async () => {
    const controls = await seed(app.deps.db, 5_000, end);
    expect(controls).toHaveLength(100);
    expect(await derivedTableDrift(app.deps.db)).toEqual(inStep);
    const { rows } = await app.deps.db.query<{ points: number }>(
      "select coalesce(sum(points), 0)::int as points from point_daily",
    );
    expect(rows[0]!.points).toBe(5_000);
  });

  it("still does once the verification's long chain is loaded into the same catalog", async () => {
    const { rows } = await app.deps.db.query<{ catalogId: string }>(
      `select catalog_id as "catalogId" from controls order by id limit 1`,
    );
    const controlId = await loadVerifyChain(app.deps.db, rows[0]!.catalogId, 200, end);
    expect(await derivedTableDrift(app.deps.db)).toEqual(inStep);
    const { rows: latest } = await app.deps.db.query<{ scopes: number; state: string }>(
      `select (select count(*)::int from point_latest where control_id = $1) as scopes,
              (select state from reporting.control_states where control_id = $1) as state`,
      [controlId],
    );
    expect(latest[0]).toEqual({ scopes: 5, state: "failing" });
  });
});
