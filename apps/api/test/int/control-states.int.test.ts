import type { CatalogCompliance, ControlState } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient } from "../../src/node-red/node-red-client.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { waitForBatch } from "../engine/engine-helpers.ts";

/**
 * Two apps on one database: `live` evaluates through the real Node-RED; `cut` is the same product with Node-RED
 * unreachable (a closed port), so every run it works ends in error after its one attempt.
 */
describe("stale is a state", () => {
  let live: TestApp;
  let cut: TestApp;
  let developer: TestUser;
  let cutDeveloper: TestUser;

  /** Moves both apps' clock; access tokens last 15 minutes of it, so both developers sign in again. */
  const setClock = async (iso: string) => {
    live.setNow(new Date(iso));
    cut.setNow(new Date(iso));
    developer = await signInAs(live, "DEVELOPER");
    cutDeveloper = await signInAs(cut, "DEVELOPER");
  };

  beforeAll(async () => {
    live = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    cut = await startTestApp({
      database: { url: live.environment.DATABASE_URL! },
      engine: { isWorker: true, isScheduler: false },
      nodeRed: createNodeRedClient({ ...sharedNodeRed(), baseUrl: "http://127.0.0.1:9" }),
      // An unreachable Node-RED does not use up attempts; its runs end in error once they waited a second for it.
      env: { RUN_MAX_ATTEMPTS: "1", NODE_RED_WAIT_MAX_MS: "1000" },
    });
    await setClock("2026-11-06T12:00:00Z");
  });
  afterAll(async () => {
    await cut?.close();
    await live?.close();
  });

  async function stateOf(catalogId: string, controlId: string): Promise<ControlState> {
    const response = await request(live, "GET", `/api/v1/catalogs/${catalogId}/control-states`, {
      token: developer.token,
    });
    expect(response.status).toBe(200);
    return response.body.items.find((item: ControlState) => item.controlId === controlId);
  }

  async function complianceOf(catalogId: string): Promise<CatalogCompliance> {
    const response = await request(live, "GET", "/api/v1/overview", { token: developer.token });
    expect(response.status).toBe(200);
    for (const catalog of response.body.catalogs as CatalogCompliance[]) {
      // Every control is in exactly one state: the counts add up to the controls, in every catalog.
      expect(catalog.passing + catalog.failing + catalog.stale + catalog.notEvaluated + catalog.notApplicable).toBe(
        catalog.controlCount,
      );
    }
    return response.body.catalogs.find((catalog: CatalogCompliance) => catalog.catalogId === catalogId);
  }

  async function run(app: TestApp, token: string, controlId: string, body: Record<string, unknown> = {}) {
    const response = await request(app, "POST", `/api/v1/controls/${controlId}/runs`, { token, body });
    expect(response.status).toBe(202);
    return waitForBatch(app, token, response.body.batch.id);
  }

  it("a control whose runs all error becomes stale after its grace, is never counted as passing, and a fresh point clears it", async () => {
    const catalog = await createCatalogVia(live, developer.token, { startDate: "2026-11-01T00:00:00Z" });
    const control = await createControlVia(live, developer.token, catalog.id, {
      mashupId: "test-pass",
      period: "DAILY",
      threshold: 80,
    });
    // Two more controls: one failing, one whose life has not started (not yet evaluated).
    const failing = await createControlVia(live, developer.token, catalog.id, {
      mashupId: "test-fail",
      period: "DAILY",
    });
    await createControlVia(live, developer.token, catalog.id, {
      mashupId: "test-pass",
      period: "DAILY",
      startDate: "2027-01-01T00:00:00Z",
    });
    await request(live, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    const range = { from: "2026-11-01T00:00:00Z", to: "2026-11-06T00:00:00Z" };
    await run(live, developer.token, control.id, range);
    await run(live, developer.token, failing.id, range);

    // Points through the window ending 6 November: passing, and due again by 8 November (one period + one period).
    expect(await stateOf(catalog.id, control.id)).toMatchObject({
      state: "passing",
      staleAt: "2026-11-08T00:00:00.000Z",
    });
    expect(await complianceOf(catalog.id)).toMatchObject({
      controlCount: 3,
      passing: 1,
      failing: 1,
      stale: 0,
      notEvaluated: 1,
      compliance: 50,
    });

    // Node-RED goes away: the next window's run ends in error, but the grace has not passed yet.
    await setClock("2026-11-07T12:00:00Z");
    const errored = await run(cut, cutDeveloper.token, control.id);
    expect(errored.runs.map((item) => item.status)).toEqual(["error"]);
    expect((await stateOf(catalog.id, control.id)).state).toBe("passing");

    // Its grace over, with every run since in error, the control is stale — not passing — and says since when.
    await setClock("2026-11-08T00:00:01Z");
    expect((await run(cut, cutDeveloper.token, control.id)).runs.map((item) => item.status)).toEqual(["error"]);
    const stale = await stateOf(catalog.id, control.id);
    expect(stale).toMatchObject({ state: "stale", staleAt: "2026-11-08T00:00:00.000Z" });
    expect(stale.lastEvaluatedAt).not.toBeNull();
    expect(stale.lastPoint?.result).toBe("pass");
    expect(await complianceOf(catalog.id)).toMatchObject({
      passing: 0,
      failing: 0,
      stale: 2, // the failing control was not evaluated since either: stale wins over its last result
      compliance: 0,
    });

    // The reporting view Grafana reads holds the same moment (it applies it at the database's own clock).
    const view = await live.deps.db.query<{ staleAt: string }>(
      `select stale_at as "staleAt" from reporting.control_states where control_id = $1`,
      [control.id],
    );
    expect(new Date(view.rows[0]!.staleAt).toISOString()).toBe("2026-11-08T00:00:00.000Z");

    // Node-RED is back: a fresh point clears it.
    await run(live, developer.token, control.id);
    expect(await stateOf(catalog.id, control.id)).toMatchObject({
      state: "passing",
      staleAt: "2026-11-10T00:00:00.000Z",
    });
    expect(await complianceOf(catalog.id)).toMatchObject({ passing: 1, stale: 1, notEvaluated: 1, compliance: 50 });
  });

  it("waits the control's own grace, and counts a never-evaluated control stale once its first window is overdue", async () => {
    await setClock("2026-11-06T12:00:00Z");
    const catalog = await createCatalogVia(live, developer.token, { startDate: "2026-11-04T09:00:00Z" });
    const quick = await createControlVia(live, developer.token, catalog.id, {
      mashupId: "test-pass",
      period: "DAILY",
      staleGraceMinutes: 60,
    });
    const patient = await createControlVia(live, developer.token, catalog.id, {
      mashupId: "test-pass",
      period: "DAILY",
    });
    expect(quick.staleGraceMinutes).toBe(60);
    await request(live, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });

    // The first whole window is 5 November (the start falls inside the 4th): due on the 6th, plus the grace.
    expect(await stateOf(catalog.id, quick.id)).toMatchObject({
      state: "stale",
      staleAt: "2026-11-06T01:00:00.000Z",
      lastEvaluatedAt: null,
    });
    expect(await stateOf(catalog.id, patient.id)).toMatchObject({
      state: "not_evaluated",
      staleAt: "2026-11-07T00:00:00.000Z",
    });
    expect(await complianceOf(catalog.id)).toMatchObject({ controlCount: 2, stale: 1, notEvaluated: 1, compliance: 0 });
  });
});
