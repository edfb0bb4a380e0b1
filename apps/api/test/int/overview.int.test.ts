import { ControlStateListSchema, OverviewSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = 86_400_000;
const utcMidnight = (offsetDays: number) =>
  new Date(new Date(new Date().toISOString().slice(0, 10)).getTime() + offsetDays * DAY);

describe("overview", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    [developer, user] = await Promise.all([signInAs(app, "DEVELOPER"), signInAs(app, "USER")]);
  });
  afterAll(() => app?.close());

  it("reports compliance per catalog now and per day, the failing controls and the next scheduled runs", async () => {
    const startDate = utcMidnight(-3).toISOString();
    const passing = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", startDate });
    const failing = await createEvaluableControl(app, developer.token, {
      mashupId: "test-fail",
      threshold: 80,
      startDate,
    });
    const draft = await createCatalogVia(app, developer.token);
    for (const { control } of [passing, failing]) {
      const { batch } = await startRuns(app, developer.token, control.id, {
        from: utcMidnight(-2).toISOString(),
        to: utcMidnight(0).toISOString(),
      });
      expect((await waitForBatch(app, developer.token, batch.id)).batch.counts.succeeded).toBe(2);
    }

    const response = await request(app, "GET", "/api/v1/overview?days=7", { token: user.token });

    expect(response.status, response.text).toBe(200);
    const overview = OverviewSchema.parse(response.body);
    const byId = new Map(overview.catalogs.map((catalog) => [catalog.catalogId, catalog]));
    expect(byId.get(passing.catalog.id)).toMatchObject({
      status: "finalized",
      controlCount: 1,
      evaluated: 1,
      passing: 1,
      failing: 0,
      compliance: 100,
    });
    expect(byId.get(failing.catalog.id)).toMatchObject({ evaluated: 1, passing: 0, failing: 1, compliance: 0 });
    expect(byId.get(draft.id)).toMatchObject({ status: "draft", controlCount: 0, evaluated: 0, compliance: null });

    const passingSeries = overview.series.find((series) => series.catalogId === passing.catalog.id);
    expect(passingSeries?.days).toEqual([
      { day: utcMidnight(-2).toISOString(), points: 1, compliance: 100 },
      { day: utcMidnight(-1).toISOString(), points: 1, compliance: 100 },
    ]);
    expect(overview.series.find((series) => series.catalogId === draft.id)).toBeUndefined();

    expect(overview.failingTotal).toBe(1);
    expect(overview.failingControls).toEqual([
      expect.objectContaining({
        controlId: failing.control.id,
        catalogName: failing.catalog.name,
        windowStart: utcMidnight(-1).toISOString(),
        threshold: 80,
      }),
    ]);
    expect(overview.failingControls[0]?.value).toBeCloseTo(66.67, 1);

    // Before the scheduler's first tick, the first window from the start date is owed (overdue already).
    expect(overview.nextRuns.map((run) => [run.controlId, run.windowStart, run.dueAt])).toEqual(
      expect.arrayContaining([
        [passing.control.id, startDate, utcMidnight(-2).toISOString()],
        [failing.control.id, startDate, utcMidnight(-2).toISOString()],
      ]),
    );
  });

  it("moves a control's next run to the end of today once the scheduler has caught up", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      startDate: utcMidnight(-2).toISOString(),
    });
    await scheduleDueWindows(app.deps);

    const overview = OverviewSchema.parse((await request(app, "GET", "/api/v1/overview", { token: user.token })).body);

    expect(overview.nextRuns.find((run) => run.controlId === control.id)).toMatchObject({
      windowStart: utcMidnight(0).toISOString(),
      dueAt: utcMidnight(1).toISOString(),
      period: "DAILY",
    });
  });

  it("rejects a bad number of days with a problem naming the field", async () => {
    const problem = expectProblem(
      await request(app, "GET", "/api/v1/overview?days=0", { token: user.token }),
      400,
      "validation_failed",
    );
    expect(problem.errors.map((issue: { path: string }) => issue.path)).toEqual(["query.days"]);
  });

  describe("GET /catalogs/:id/control-states", () => {
    it("gives each control its latest point, failing scopes, latest run and next scheduled run", async () => {
      const { catalog, control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-fail",
        threshold: 80,
        startDate: utcMidnight(-2).toISOString(),
      });
      const { batch, runs } = await waitForBatch(
        app,
        developer.token,
        (await startRuns(app, developer.token, control.id)).batch.id,
      );
      expect(batch.counts.succeeded).toBe(1);

      const response = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/control-states`, {
        token: user.token,
      });

      expect(response.status, response.text).toBe(200);
      const { items } = ControlStateListSchema.parse(response.body);
      expect(items).toEqual([
        {
          controlId: control.id,
          state: "failing",
          // The next window (ending tomorrow) may arrive until one period after it closed.
          staleAt: utcMidnight(2).toISOString(),
          lastEvaluatedAt: expect.any(String),
          lastPoint: {
            result: "fail",
            value: expect.closeTo(66.67, 1),
            windowStart: utcMidnight(-1).toISOString(),
            windowEnd: utcMidnight(0).toISOString(),
          },
          failingScopes: 1,
          lastRun: {
            id: runs[0]!.id,
            status: "succeeded",
            createdAt: runs[0]!.createdAt,
            finishedAt: expect.any(String),
          },
          nextRun: {
            windowStart: utcMidnight(-2).toISOString(),
            windowEnd: utcMidnight(-1).toISOString(),
            dueAt: utcMidnight(-1).toISOString(),
          },
        },
      ]);
    });

    it("has no point, run or schedule for a draft control", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const control = await createControlVia(app, developer.token, catalog.id);

      const response = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/control-states`, {
        token: user.token,
      });

      expect(response.body).toEqual({
        items: [
          {
            controlId: control.id,
            state: "not_evaluated",
            staleAt: null,
            lastEvaluatedAt: null,
            lastPoint: null,
            failingScopes: 0,
            lastRun: null,
            nextRun: null,
          },
        ],
      });
    });

    it("answers 404 for a catalog that does not exist", async () => {
      expectProblem(
        await request(app, "GET", "/api/v1/catalogs/00000000-0000-4000-8000-000000000000/control-states", {
          token: user.token,
        }),
        404,
        "not_found",
      );
    });
  });
});
