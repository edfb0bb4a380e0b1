import { ControlPageSchema, FailuresSchema, type CatalogCompliance, type FailedControl } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "../../src/db/database.ts";
import { appendPoints, lockChainHeads } from "../../src/modules/points/index.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const DAY = 86_400_000;
const NOW = "2026-11-20T12:00:00Z";
/** UTC midnight `offset` days from NOW's day. */
const day = (offset: number) => new Date(Date.parse("2026-11-20T00:00:00Z") + offset * DAY).toISOString();

describe("failed in this period (GET /overview/failures)", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    app.setNow(new Date(NOW));
    [developer, user] = await Promise.all([signInAs(app, "DEVELOPER"), signInAs(app, "USER")]);
  });
  afterAll(() => app?.close());

  /** A finalized daily catalog and control, from `startDay` days before NOW, with no points yet. */
  async function dailyControl(startDay = -30) {
    const catalog = await createCatalogVia(app, developer.token, { startDate: day(startDay), timeZone: "UTC" });
    const control = await createControlVia(app, developer.token, catalog.id, { period: "DAILY", threshold: 80 });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status, finalized.text).toBe(200);
    return { catalog, control };
  }

  /**
   * Records one point per day (`results[i]` for the window starting `firstDay + i` days from NOW's day) through the
   * points module's chain append, as the registry does: results the test chooses, in the real chain.
   */
  async function recordDays(
    ids: { catalogId: string; controlId: string },
    firstDay: number,
    results: ("pass" | "fail" | "not_applicable")[],
    scope: Record<string, string> = {},
  ) {
    await withTransaction(app.deps.db, async (tx) => {
      const version = await tx.query<{ digest: string }>(
        "select digest from control_versions where control_id = $1 and version = 1",
        [ids.controlId],
      );
      const heads = await lockChainHeads(tx, [ids.controlId]);
      await appendPoints(
        tx,
        heads,
        results.map((result, index) => ({
          ...ids,
          scope,
          scopeKey: JSON.stringify(scope),
          windowStart: day(firstDay + index),
          windowEnd: day(firstDay + index + 1),
          value: result === "pass" ? 100 : result === "fail" ? 50 : null,
          threshold: 80,
          result,
          computationId: null,
          evidenceDigest: null,
          controlVersion: 1,
          versionDigest: version.rows[0]!.digest,
        })),
        "registry",
      );
    });
  }

  async function failures(query: string, token = user.token) {
    const response = await request(app, "GET", `/api/v1/overview/failures${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return FailuresSchema.parse(response.body);
  }

  it("lists a control that failed 3 of 7 windows and recovered, with 3 and not failing now", async () => {
    const { catalog, control } = await dailyControl();
    await recordDays({ catalogId: catalog.id, controlId: control.id }, -8, [
      "pass",
      "fail",
      "fail",
      "pass",
      "fail",
      "pass",
      "pass",
    ]);
    const owned = await request(app, "PUT", `/api/v1/controls/${control.id}/owner`, {
      token: developer.token,
      body: { userId: developer.id },
    });
    expect(owned.status, owned.text).toBe(200);

    const result = await failures(`?catalogId=${catalog.id}&from=${day(-8)}&to=${day(-1)}`);

    expect(result).toEqual({
      from: day(-8),
      to: day(-1),
      total: 1,
      items: [
        expect.objectContaining({
          controlId: control.id,
          catalogName: catalog.name,
          timeZone: "UTC",
          state: "passing",
          owner: expect.objectContaining({ id: developer.id, username: developer.username }),
          failedWindows: 3,
          evaluatedWindows: 7,
          newestFailedWindowStart: day(-4),
          newestFailedWindowEnd: day(-3),
          failingSince: null,
        }),
      ],
    });
  });

  it("says since when a control is failing now: its streak may start before the period asked for", async () => {
    const { catalog, control } = await dailyControl();
    const ids = { catalogId: catalog.id, controlId: control.id };
    await recordDays(ids, -6, ["pass", "fail", "pass", "fail", "fail", "fail"]);

    const whole = await failures(`?catalogId=${catalog.id}&from=${day(-10)}&to=${day(0)}`);
    const lastTwo = await failures(`?catalogId=${catalog.id}&from=${day(-2)}&to=${day(0)}`);

    expect(whole.items[0]).toMatchObject({ state: "failing", failedWindows: 4, evaluatedWindows: 6 });
    expect(whole.items[0]?.failingSince).toBe(day(-3));
    expect(lastTwo.items[0]).toMatchObject({ failedWindows: 2, evaluatedWindows: 2, failingSince: day(-3) });
  });

  it("counts a window once however many scopes fail in it, and only windows starting in the period", async () => {
    const { catalog, control } = await dailyControl();
    const ids = { catalogId: catalog.id, controlId: control.id };
    await recordDays(ids, -3, ["fail", "fail"], { team: "a" });
    await recordDays(ids, -3, ["fail", "pass"], { team: "b" });

    const result = await failures(`?catalogId=${catalog.id}&from=${day(-3)}&to=${day(-1)}`);
    const outside = await failures(`?catalogId=${catalog.id}&from=${day(-20)}&to=${day(-3)}`);

    expect(result.items.map((item) => [item.failedWindows, item.evaluatedWindows])).toEqual([[2, 2]]);
    expect(outside).toMatchObject({ items: [], total: 0 });
  });

  it("links the newest failing computation of an engine-evaluated control, and the counts add up", async () => {
    const { catalog, control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-fail",
      threshold: 80,
      startDate: day(-3),
    });
    const { batch, runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id, { from: day(-3), to: day(0) })).batch.id,
    );
    expect(batch.counts.succeeded).toBe(3);
    const newestRun = runs.find((run) => run.windowStart === day(-1));

    const result = await failures(`?catalogId=${catalog.id}`);

    expect(result.items).toEqual([
      expect.objectContaining<Partial<FailedControl>>({
        controlId: control.id,
        state: "failing",
        failedWindows: 3,
        evaluatedWindows: 3,
        failingSince: day(-3),
        newestFailedWindowStart: day(-1),
        newestFailedComputationId: newestRun?.computationId ?? "missing",
      }),
    ]);
    // Every control is counted once, in one state: the catalog's failing controls are the ones failing now here.
    const overview = await request(app, "GET", "/api/v1/overview", { token: user.token });
    const compliance = (overview.body.catalogs as CatalogCompliance[]).find((item) => item.catalogId === catalog.id)!;
    expect(compliance).toMatchObject({ controlCount: 1, failing: 1, passing: 0 });
    expect(result.items.filter((item) => item.state === "failing")).toHaveLength(compliance.failing);
  });

  it("refuses a period that ends before it starts, and a bad date, with a problem naming the field", async () => {
    const reversed = expectProblem(
      await request(app, "GET", `/api/v1/overview/failures?from=${day(0)}&to=${day(-1)}`, { token: user.token }),
      400,
      "validation_failed",
    );
    expect(reversed.errors.map((issue: { path: string }) => issue.path)).toEqual(["query.from"]);
    const bad = expectProblem(
      await request(app, "GET", "/api/v1/overview/failures?to=yesterday", { token: user.token }),
      400,
      "validation_failed",
    );
    expect(bad.errors.map((issue: { path: string }) => issue.path)).toEqual(["query.to"]);
  });

  it("answers 404 for a catalog that does not exist", async () => {
    expectProblem(
      await request(app, "GET", `/api/v1/overview/failures?catalogId=${crypto.randomUUID()}`, { token: user.token }),
      404,
      "not_found",
    );
  });

  describe("filters of the catalog's controls (GET /catalogs/:id/controls)", () => {
    it("filters by state, result and scope value, and refuses a bad value with a 400 problem", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: day(-30), timeZone: "UTC" });
      const team = await createScopeVia(app, developer.token, { name: `team_${uniqueSuffix()}` });
      const failing = await createControlVia(app, developer.token, catalog.id, { period: "DAILY" });
      const passing = await createControlVia(app, developer.token, catalog.id, { period: "DAILY" });
      const unevaluated = await createControlVia(app, developer.token, catalog.id, { period: "DAILY" });
      await createScopeSetVia(app, developer.token, failing.id, { [team.name]: "payments" });
      await createScopeSetVia(app, developer.token, passing.id, { [team.name]: "search" });
      const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });
      expect(finalized.status, finalized.text).toBe(200);
      await recordDays({ catalogId: catalog.id, controlId: failing.id }, -1, ["fail"], { [team.name]: "payments" });
      await recordDays({ catalogId: catalog.id, controlId: passing.id }, -1, ["pass"], { [team.name]: "search" });

      const names = async (query: string) => {
        const response = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?${query}`, {
          token: user.token,
        });
        expect(response.status, response.text).toBe(200);
        return ControlPageSchema.parse(response.body).items.map((control) => control.id);
      };

      expect(await names("result=fail")).toEqual([failing.id]);
      expect(await names("result=pass")).toEqual([passing.id]);
      expect(await names("state=failing")).toEqual([failing.id]);
      // No point for two days past its first window: overdue, so stale rather than "not yet evaluated".
      expect(await names("state=stale")).toEqual([unevaluated.id]);
      expect(await names(`scope=${team.name}:payments`)).toEqual([failing.id]);
      expect(await names(`scope=${team.name}:search&result=fail`)).toEqual([]);
      expect(await names("result=error")).toEqual([]);

      const problem = expectProblem(
        await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?result=broken&scope=nocolon`, {
          token: user.token,
        }),
        400,
        "validation_failed",
      );
      expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
        "query.result",
        "query.scope",
      ]);
    });

    it("finds the controls whose latest run ended in error with result=error", async () => {
      const catalog = await createCatalogVia(app, developer.token, { startDate: day(-3), timeZone: "UTC" });
      const broken = await createControlVia(app, developer.token, catalog.id, {
        mashupId: "test-malformed",
        period: "DAILY",
        startDate: day(-3),
      });
      await createControlVia(app, developer.token, catalog.id, { mashupId: "test-pass" });
      const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
        token: developer.token,
        body: { status: "finalized" },
      });
      expect(finalized.status, finalized.text).toBe(200);
      const { runs, batch } = await waitForBatch(
        app,
        developer.token,
        (await startRuns(app, developer.token, broken.id, { from: day(-1), to: day(0) })).batch.id,
      );
      expect(
        runs.map((run) => run.status),
        JSON.stringify(batch),
      ).toEqual(["failed"]);

      const response = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?result=error`, {
        token: user.token,
      });

      expect(ControlPageSchema.parse(response.body).items.map((control) => control.id)).toEqual([broken.id]);
    });
  });

  describe("filters of GET /points", () => {
    it("filters by result and by scope value, and refuses a result a point never has", async () => {
      const { catalog, control } = await dailyControl();
      const ids = { catalogId: catalog.id, controlId: control.id };
      await recordDays(ids, -2, ["fail", "pass"], { team: "a" });
      await recordDays(ids, -2, ["pass", "pass"], { team: "b" });

      const list = async (query: string) => {
        const response = await request(app, "GET", `/api/v1/points?controlId=${control.id}&${query}`, {
          token: user.token,
        });
        expect(response.status, response.text).toBe(200);
        return (response.body.items as { result: string; scope: Record<string, string> }[]).map(
          (point) => `${point.scope.team}:${point.result}`,
        );
      };

      expect(await list("result=fail")).toEqual(["a:fail"]);
      expect((await list("scope=team:b")).sort()).toEqual(["b:pass", "b:pass"]);
      expect(await list("scope=team:a&result=pass")).toEqual(["a:pass"]);
      const problem = expectProblem(
        await request(app, "GET", `/api/v1/points?result=error&scope=team`, { token: user.token }),
        400,
        "validation_failed",
      );
      expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
        "query.result",
        "query.scope",
      ]);
    });
  });
});
