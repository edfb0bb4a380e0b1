import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** A finalized catalog with the given dates and calendar and one control (test-pass) of `period`. */
async function finalizedControl(
  app: TestApp,
  token: string,
  catalog: { startDate: string; endDate?: string; firstDayOfWeek?: number },
  period: string,
) {
  const created = await createCatalogVia(app, token, { timeZone: "UTC", ...catalog });
  const control = await createControlVia(app, token, created.id, { mashupId: "test-pass", period, threshold: 80 });
  const finalized = await request(app, "PATCH", `/api/v1/catalogs/${created.id}`, {
    token,
    body: { status: "finalized" },
  });
  expect(finalized.status).toBe(200);
  return { catalog: finalized.body, control };
}

async function windowStartsOfRuns(app: TestApp, controlId: string): Promise<string[]> {
  const result = await app.deps.db.query<{ windowStart: string }>(
    `select window_start as "windowStart" from runs where control_id = $1 order by window_start`,
    [controlId],
  );
  return result.rows.map((row) => new Date(row.windowStart).toISOString().slice(0, 10));
}

describe("windows inside the control's life", () => {
  let app: TestApp;
  let developer: TestUser;

  // Every test runs on a fixed clock (tokens are signed on it too).
  const NOW = new Date("2026-12-15T12:00:00Z");

  beforeAll(async () => {
    app = await startTestApp();
    app.setNow(NOW);
    developer = await signInAs(app, "DEVELOPER");
  });
  beforeEach(() => app.setNow(NOW));
  afterAll(() => app?.close());

  it("runs a range of a weekly control in a catalog starting Thursday 1 October 2026 from Monday 5 October, and says what it skipped", async () => {
    const { control } = await finalizedControl(app, developer.token, { startDate: "2026-10-01T00:00:00Z" }, "WEEKLY");

    const response = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
      token: developer.token,
      body: { from: "2026-07-01T00:00:00Z", to: "2026-12-01T00:00:00Z" },
    });

    expect(response.status).toBe(202);
    // Weeks from Monday 29 June to Monday 28 September (the partial week the start falls in) are left out.
    expect(response.body.skipped).toEqual([{ reason: "before_start", count: 14 }]);
    expect(response.body.batch.runCount).toBe(9);
    const starts = await windowStartsOfRuns(app, control.id);
    expect(starts[0]).toBe("2026-10-05");
    expect(starts.at(-1)).toBe("2026-11-30");
    expect(starts.every((start) => start >= "2026-10-01")).toBe(true);
  });

  it("starts weekly windows on the catalog's first day of week", async () => {
    const { catalog, control } = await finalizedControl(
      app,
      developer.token,
      { startDate: "2026-10-01T00:00:00Z", firstDayOfWeek: 4 },
      "WEEKLY",
    );
    expect(catalog.firstDayOfWeek).toBe(4);

    const response = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
      token: developer.token,
      body: { from: "2026-10-01T00:00:00Z", to: "2026-10-22T00:00:00Z" },
    });

    expect(response.body.skipped).toEqual([]);
    expect(await windowStartsOfRuns(app, control.id)).toEqual(["2026-10-01", "2026-10-08", "2026-10-15"]);
  });

  it("backfills only windows that end by the end date, and counts those after it", async () => {
    const { control } = await finalizedControl(
      app,
      developer.token,
      { startDate: "2025-01-01T00:00:00Z", endDate: "2025-03-15T00:00:00Z" },
      "MONTHLY",
    );

    const response = await request(app, "POST", `/api/v1/controls/${control.id}/backfill`, {
      token: developer.token,
      body: { from: "2024-12-01T00:00:00Z", to: "2025-06-01T00:00:00Z" },
    });

    expect(response.status).toBe(202);
    expect(response.body.batch).toMatchObject({ trigger: "backfill", runCount: 2 });
    expect(response.body.skipped).toEqual([
      { reason: "before_start", count: 1 },
      { reason: "after_end", count: 3 },
    ]);
    expect(await windowStartsOfRuns(app, control.id)).toEqual(["2025-01-01", "2025-02-01"]);
  });

  it("adds up the windows a catalog run skipped over its controls", async () => {
    const { catalog, control } = await finalizedControl(
      app,
      developer.token,
      { startDate: "2026-11-01T00:00:00Z" },
      "MONTHLY",
    );

    const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/runs`, {
      token: developer.token,
      body: { from: "2026-08-01T00:00:00Z", to: "2026-12-01T00:00:00Z" },
    });

    expect(response.status).toBe(202);
    expect(response.body.skipped).toEqual([{ reason: "before_start", count: 3 }]);
    expect(await windowStartsOfRuns(app, control.id)).toEqual(["2026-11-01"]);
  });

  it("creates no run for 'run now' before the control's first whole window has closed", async () => {
    const { control } = await finalizedControl(app, developer.token, { startDate: "2026-12-10T00:00:00Z" }, "WEEKLY");

    const response = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
      token: developer.token,
      body: {},
    });

    expect(response.status).toBe(202);
    expect(response.body.batch.runCount).toBe(0);
    expect(response.body.skipped).toEqual([{ reason: "before_start", count: 1 }]);
    expect(await windowStartsOfRuns(app, control.id)).toEqual([]);
  });

  it("schedules the first whole window of a catalog starting mid-week, never the partial one", async () => {
    const { control } = await finalizedControl(app, developer.token, { startDate: "2026-10-01T00:00:00Z" }, "WEEKLY");
    app.setNow(new Date("2026-10-20T12:00:00Z"));

    await scheduleDueWindows(app.deps);

    expect(await windowStartsOfRuns(app, control.id)).toEqual(["2026-10-05", "2026-10-12"]);
  });

  it("refuses the registry collector a window outside the control's life, and creates no run", async () => {
    const { control } = await finalizedControl(
      app,
      developer.token,
      { startDate: "2026-10-01T00:00:00Z", endDate: "2026-12-01T00:00:00Z" },
      "MONTHLY",
    );
    const collect = (initial: string, end: string) =>
      request(app, "POST", "/api/v1/computations", {
        token: developer.token,
        body: {
          metric: {
            endpoint: "/test/pass",
            params: { controlId: control.id },
            scope: {},
            window: { type: "static", period: "monthly", initial, end, timeZone: "UTC" },
          },
          config: {},
        },
      });

    const before = await collect("2026-09-01T00:00:00.000Z", "2026-09-30T23:59:59.999Z");
    const after = await collect("2026-12-01T00:00:00.000Z", "2026-12-31T23:59:59.999Z");
    const inside = await collect("2026-10-01T00:00:00.000Z", "2026-10-31T23:59:59.999Z");

    expect(before.status).toBe(409);
    expect(before.body.code).toBe("window_outside_life");
    expect(after.status).toBe(409);
    expect(after.body.code).toBe("window_outside_life");
    expect(inside.status).toBe(201);
    expect(await windowStartsOfRuns(app, control.id)).toEqual(["2026-10-01"]);
  });

  it("refuses a first day of week outside 1–7", async () => {
    const response = await request(app, "POST", "/api/v1/catalogs", {
      token: developer.token,
      body: { name: "Bad week", firstDayOfWeek: 8 },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: "body.firstDayOfWeek" })]);
  });
});
