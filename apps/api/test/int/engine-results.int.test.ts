import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";

/** Runs through the real Node-RED test flows, the real Postgres and the in-process queue. */
describe("evaluating controls through real mashups", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: { MASHUP_TIMEOUT_MS: "3000", RUN_MAX_ATTEMPTS: "2", RUN_RETRY_BASE_MS: "50" },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("stores a passing window: computation, evidences and a hash-chained point", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", threshold: 100 });
    const created = await startRuns(app, developer.token, control.id);
    expect(created.runs).toHaveLength(1);
    expect(created.runs[0]).toMatchObject({ isProvisional: false, trigger: "manual", controlId: control.id });

    const { runs } = await waitForBatch(app, developer.token, created.batch.id);
    expect(runs[0]).toMatchObject({ status: "succeeded", attempts: 1, error: null });

    const detail = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: "ready", result: "pass", compliance: 100, code: 200 });
    expect(detail.body.evidences.length).toBeGreaterThan(0);
    expect(detail.body.evidences.every((evidence: { result: string }) => evidence.result === "pass")).toBe(true);
    expect(detail.body.computations[0]).toMatchObject({ value: 100, controlId: control.id });

    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token });
    expect(points.body.items).toHaveLength(1);
    expect(points.body.items[0]).toMatchObject({
      result: "pass",
      value: 100,
      threshold: 100,
      prevHash: null,
      computationId: runs[0]!.computationId,
    });
    expect(points.body.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const verification = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });
    expect(verification.body).toMatchObject({ isIntact: true, pointCount: 1 });
  });

  it("compares the share of passing evidences with the threshold", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-fail", threshold: 90 });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    const detail = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    expect(detail.body.result).toBe("fail");
    expect(detail.body.failCount).toBeGreaterThan(0);
    expect(detail.body.compliance).toBeCloseTo(
      (detail.body.passCount / (detail.body.passCount + detail.body.failCount + detail.body.errorCount)) * 100,
      2,
    );
  });

  it("never counts an empty evidence list as a pass", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-empty", threshold: 0 });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    expect(runs[0]!.status).toBe("succeeded");
    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token });
    expect(points.body.items[0]).toMatchObject({ result: "not_applicable", value: null });
  });

  it("fails a run whose mashup answers malformed output, with a clear error and nothing half-stored", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-malformed" });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    expect(runs[0]).toMatchObject({ status: "failed", attempts: 1 });
    expect(runs[0]!.error).toContain("evidences");
    expect(runs[0]!.error).toContain('"hello":"world"');
    const computation = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    expect(computation.body).toMatchObject({ status: "failed", evidences: [], computations: [] });
    const points = await app.deps.db.query("select count(*)::int as n from points where control_id = $1", [control.id]);
    expect(points.rows[0].n).toBe(0);
  });

  it("retries a mashup that times out and ends the run in error after the last attempt", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 5000 },
    });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
      30_000,
    );
    expect(runs[0]).toMatchObject({ status: "error", attempts: 2 });
    expect(runs[0]!.error).toMatch(/did not answer within 3000 ms/);
  });

  it("sends the mashup the control, run, params, scope, window and callback", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-echo",
      params: { org: "acme" },
      scopes: [{ team: "payments" }],
    });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    const detail = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    const sent = detail.body.evidences[0].value;
    expect(sent).toMatchObject({
      controlId: control.id,
      runId: runs[0]!.id,
      params: { org: "acme" },
      from: runs[0]!.windowStart,
      to: runs[0]!.windowEnd,
      period: "DAILY",
    });
    expect(Object.values(sent.scope)).toEqual(["payments"]);
    expect(sent.callbackUrl).toBe(`${app.baseUrl}/api/v1/computations/bulk`);
    expect(typeof sent.callbackToken).toBe("string");
  });

  it("accepts the reference's asynchronous bulk callback", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-bulk", threshold: 50 });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    expect(runs[0]!.status).toBe("succeeded");
    const detail = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    expect(detail.body.evidences.length).toBeGreaterThan(0);
  });

  it("refuses bulk items without a valid run token", async () => {
    const response = await request(app, "POST", "/api/v1/computations/bulk", {
      body: { computations: [], done: true },
      headers: { "x-access-token": developer.token },
    });
    expectProblem(response, 401, "token_invalid");
  });

  it("evaluates one run per scope set and window of a range, with provisional open windows", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      scopes: [{ team: "a" }, { team: "b" }],
    });
    const now = Date.now();
    const from = new Date(now - 2 * 86_400_000).toISOString();
    // Into today's open window, never past midnight (UTC): tomorrow's would be open too, two more provisional runs.
    const tomorrow = Math.ceil((now + 1) / 86_400_000) * 86_400_000;
    const to = new Date(Math.min(now + 3_600_000, tomorrow - 1)).toISOString();
    const created = await startRuns(app, developer.token, control.id, { from, to });
    expect(created.batch.runCount).toBeGreaterThanOrEqual(6);
    const { runs } = await waitForBatch(app, developer.token, created.batch.id);
    expect(runs.map((run) => [run.status, run.error])).toEqual(runs.map(() => ["succeeded", null]));
    const provisional = runs.filter((run) => run.isProvisional);
    expect(provisional.length).toBe(2);
    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}&pageSize=50`, {
      token: developer.token,
    });
    expect(points.body.total).toBe(runs.length - provisional.length);
    const verification = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });
    expect(verification.body).toMatchObject({ isIntact: true, problem: null });
  });

  it("keeps a window's point when the window is run again", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id)).batch.id);
    const second = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    expect(second.runs[0]!.status).toBe("succeeded");
    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token });
    expect(points.body.total).toBe(1);
    const computations = await request(app, "GET", `/api/v1/controls/${control.id}/computations`, {
      token: developer.token,
    });
    expect(computations.body.total).toBe(2);
    expect(computations.body.items.every((item: { pointId: string }) => item.pointId === points.body.items[0].id)).toBe(
      true,
    );
  });

  it("answers 409 for a control without a mashup and 400 for a range of too many windows", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", period: "HOURLY" });
    const tooLong = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
      token: developer.token,
      // A year of hourly windows inside the control's life (windows before its start are skipped, not counted).
      body: { from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
    });
    expectProblem(tooLong, 400, "too_many_windows");
  });
});
