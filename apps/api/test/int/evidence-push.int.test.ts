import type { Catalog, Computation, Control } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDuePushWindows } from "../../src/modules/evidence-push/index.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const PASS = { key: "branch-protection", value: { enabled: true }, result: "pass" };
const FAIL = { key: "signed-commits", value: { enabled: false }, result: false };

describe("push controls: evidence sent to POST /controls/:id/evidence", () => {
  let app: TestApp;
  let developer: TestUser;
  /** A personal API token of the developer: how a CI job sends evidence. */
  let apiToken: string;

  /** Moves the app's clock; sessions last 15 minutes of it, so the developer signs in again. */
  const setClock = async (iso: string) => {
    app.setNow(new Date(iso));
    developer = await signInAs(app, "DEVELOPER");
  };

  beforeAll(async () => {
    app = await startTestApp();
    await setClock("2026-11-06T12:00:00Z");
    const created = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: "ci evidence", expiresInDays: 365 },
    });
    expect(created.status).toBe(201);
    apiToken = created.body.token;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A finalized catalog (UTC unless told) with one push control, optionally with scope sets. */
  async function pushControl(
    options: { threshold?: number; scopes?: Record<string, string>[]; catalog?: Record<string, unknown> } = {},
  ): Promise<{ catalog: Catalog; control: Control; scopeName: string | undefined }> {
    const draft = await createCatalogVia(app, developer.token, {
      startDate: "2026-11-01T00:00:00Z",
      ...options.catalog,
    });
    const control = await createControlVia(app, developer.token, draft.id, {
      kind: "push",
      mashupId: null,
      period: "DAILY",
      threshold: options.threshold ?? 60,
    });
    let scopeName: string | undefined;
    if (options.scopes?.length) {
      scopeName = (await createScopeVia(app, developer.token)).name;
      for (const values of options.scopes) {
        await createScopeSetVia(app, developer.token, control.id, { [scopeName]: Object.values(values)[0]! });
      }
    }
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status).toBe(200);
    return { catalog: finalized.body, control, scopeName };
  }

  function push(controlId: string, body: unknown, options: { token?: string; key?: string } = {}) {
    return request(app, "POST", `/api/v1/controls/${controlId}/evidence`, {
      token: options.token ?? apiToken,
      body,
      ...(options.key ? { headers: { "idempotency-key": options.key } } : {}),
    });
  }

  async function computationsOf(controlId: string): Promise<Computation[]> {
    const response = await request(app, "GET", `/api/v1/controls/${controlId}/computations?pageSize=200`, {
      token: developer.token,
    });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function pointsOf(controlId: string) {
    const response = await request(app, "GET", `/api/v1/points?controlId=${controlId}&pageSize=200`, {
      token: developer.token,
    });
    expect(response.status).toBe(200);
    return response.body.items as { id: string; computationId: string | null; windowStart: string; value: number }[];
  }

  it("stores each submission as a computation, and when the window closes the last one received decides its point on a valid chain", async () => {
    const { control } = await pushControl({ threshold: 60 });
    const first = await push(control.id, { at: "2026-11-06T08:00:00Z", value: 2, evidences: [PASS, PASS, FAIL] });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      computationId: expect.any(String),
      windowFrom: "2026-11-06T00:00:00.000Z",
      windowTo: "2026-11-07T00:00:00.000Z",
      status: "accepted",
      pointId: null,
    });
    expect(first.headers.get("location")).toBe(`/api/v1/computations/${first.body.computationId}`);
    const detail = await request(app, "GET", `/api/v1/computations/${first.body.computationId}`, {
      token: developer.token,
    });
    expect(detail.body).toMatchObject({
      status: "ready",
      recording: "provisional",
      evidenceCount: 3,
      passCount: 2,
      failCount: 1,
      compliance: 66.667,
      result: "pass",
      flowValue: 2,
      controlVersion: 1,
    });
    expect(detail.body.evidences.map((evidence: { key: string; result: string }) => evidence.result)).toEqual([
      "pass",
      "pass",
      "fail",
    ]);
    // The submission is a run of trigger push, by the token's user, already done.
    const runs = await request(app, "GET", `/api/v1/runs?controlId=${control.id}`, { token: developer.token });
    expect(runs.body.items).toMatchObject([{ trigger: "push", status: "succeeded", computationId: detail.body.id }]);

    // A second submission in the same window (all failing): the last received while the window is open decides.
    const second = await push(control.id, { at: "2026-11-06T20:00:00Z", evidences: [FAIL] });
    expect(second.body.status).toBe("accepted");
    expect(await closeDuePushWindows(app.deps)).toEqual({ closed: 0 }); // the window is still open
    expect(await pointsOf(control.id)).toEqual([]);

    await setClock("2026-11-07T00:00:05Z");
    expect(await closeDuePushWindows(app.deps)).toEqual({ closed: 1 });
    const points = await pointsOf(control.id);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ computationId: second.body.computationId, value: 0, result: "fail" });
    const byId = new Map((await computationsOf(control.id)).map((item) => [item.id, item]));
    expect(byId.get(second.body.computationId)).toMatchObject({ pointId: points[0]!.id, recording: "recorded" });
    expect(byId.get(first.body.computationId)).toMatchObject({ pointId: null, recording: "provisional" });
    expect(await closeDuePushWindows(app.deps)).toEqual({ closed: 0 }); // closing is idempotent

    // Late: stored, with status late and the window's point, which is unchanged.
    const late = await push(control.id, { at: "2026-11-06T23:59:59Z", evidences: [PASS] });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ status: "late", pointId: points[0]!.id });
    expect(await pointsOf(control.id)).toEqual(points);
    expect((await computationsOf(control.id)).find((item) => item.id === late.body.computationId)).toMatchObject({
      status: "ready",
      pointId: null,
    });

    // A closed window without a point gets it at once from its first submission, on the same chain.
    const past = await push(control.id, {
      window: { from: "2026-11-05T00:00:00Z", to: "2026-11-06T00:00:00Z" },
      evidences: [PASS],
    });
    expect(past.body).toMatchObject({ status: "accepted", windowFrom: "2026-11-05T00:00:00.000Z" });
    expect(past.body.pointId).toEqual(expect.any(String));
    const verify = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ isIntact: true, pointCount: 2, problem: null });
  });

  it("a submission for a closed window that received evidence while open is late: the open window's last one decides", async () => {
    await setClock("2026-11-10T10:00:00Z");
    const { control } = await pushControl();
    const open = await push(control.id, { evidences: [PASS] });
    expect(open.body).toMatchObject({ status: "accepted", windowFrom: "2026-11-10T00:00:00.000Z", pointId: null });
    // The window has closed, and the tick has not come yet: the next submission closes the window itself.
    await setClock("2026-11-11T00:00:01Z");
    const after = await push(control.id, { at: "2026-11-10T23:00:00Z", evidences: [FAIL] });
    expect(after.body).toMatchObject({ status: "late", pointId: expect.any(String) });
    const points = await pointsOf(control.id);
    expect(points).toMatchObject([{ id: after.body.pointId, computationId: open.body.computationId, result: "pass" }]);
  });

  it("names the window containing `at` in the catalog's time zone, checks a window against the period and the control's life", async () => {
    await setClock("2026-11-12T12:00:00Z");
    const { control } = await pushControl({ catalog: { timeZone: "Europe/Madrid" } });
    // 23:30 UTC on 5 November is 00:30 on 6 November in Madrid (UTC+1): the Madrid day of the 6th.
    const madrid = await push(control.id, { at: "2026-11-05T23:30:00Z", evidences: [PASS] });
    expect(madrid.body).toMatchObject({
      windowFrom: "2026-11-05T23:00:00.000Z",
      windowTo: "2026-11-06T23:00:00.000Z",
    });
    const exact = await push(control.id, {
      window: { from: "2026-11-07T23:00:00Z", to: "2026-11-08T23:00:00Z" },
      evidences: [PASS],
    });
    expect(exact.status).toBe(201);

    const halfDay = await push(control.id, {
      window: { from: "2026-11-07T23:00:00Z", to: "2026-11-08T11:00:00Z" },
      evidences: [PASS],
    });
    expectProblem(halfDay, 422, "window_not_of_period");
    const misaligned = await push(control.id, {
      window: { from: "2026-11-08T00:00:00Z", to: "2026-11-09T00:00:00Z" },
      evidences: [PASS],
    });
    expectProblem(misaligned, 422, "window_not_of_period");
    expectProblem(
      await push(control.id, { at: "2026-10-20T00:00:00Z", evidences: [PASS] }),
      409,
      "window_outside_life",
    );
  });

  it("requires the scope of a control with scope sets and refuses one that matches none", async () => {
    await setClock("2026-11-12T12:00:00Z");
    const { control, scopeName } = await pushControl({ scopes: [{ team: "payments" }, { team: "web" }] });
    expectProblem(await push(control.id, { evidences: [PASS] }), 422, "scope_required");
    expectProblem(
      await push(control.id, { scope: { [scopeName!]: "mobile" }, evidences: [PASS] }),
      422,
      "scope_mismatch",
    );
    const accepted = await push(control.id, { scope: { [scopeName!]: "payments" }, evidences: [PASS] });
    expect(accepted.status).toBe(201);
    const stored = (await computationsOf(control.id)).find((item) => item.id === accepted.body.computationId);
    expect(stored?.scope).toEqual({ [scopeName!]: "payments" });

    const { control: unscoped } = await pushControl();
    expectProblem(
      await push(unscoped.id, { scope: { [scopeName!]: "web" }, evidences: [PASS] }),
      422,
      "scope_mismatch",
    );
  });

  it("answers a retry with the same Idempotency-Key and body with the first result, and refuses the key with another body", async () => {
    await setClock("2026-11-12T12:00:00Z");
    const { control } = await pushControl();
    const body = { evidences: [PASS, FAIL] };
    const first = await push(control.id, body, { key: "ci-run-4711" });
    expect(first.status).toBe(201);
    const retry = await push(control.id, body, { key: "ci-run-4711" });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, status: "duplicate" });
    expect(await computationsOf(control.id)).toHaveLength(1);

    const reused = await push(control.id, { evidences: [PASS] }, { key: "ci-run-4711" });
    expectProblem(reused, 409, "idempotency_key_reused");
    // Keys are the credential's own: the same key from another credential is a new submission.
    const other = await push(control.id, body, { key: "ci-run-4711", token: developer.token });
    expect(other.status).toBe(201);
    expect(await computationsOf(control.id)).toHaveLength(2);
    // After 24 hours the key is forgotten: the same key stores a new submission.
    await setClock("2026-11-12T12:30:00Z");
    await app.deps.db.query(
      "update evidence_push_keys set created_at = created_at - interval '25 hours' where idempotency_key = $1",
      ["ci-run-4711"],
    );
    const later = await push(control.id, body, { key: "ci-run-4711" });
    expect(later.status).toBe(201);
    expect(later.body.computationId).not.toBe(first.body.computationId);
  });

  it("a push control with no submission by the end of its window becomes stale like any other", async () => {
    await setClock("2026-11-03T12:00:00Z");
    const { catalog, control } = await pushControl();
    const { control: fed } = await pushControl();
    await push(fed.id, { at: "2026-11-02T12:00:00Z", evidences: [PASS] });
    const stateOf = async (catalogId: string, controlId: string) => {
      const response = await request(app, "GET", `/api/v1/catalogs/${catalogId}/control-states`, {
        token: developer.token,
      });
      return response.body.items.find((item: { controlId: string }) => item.controlId === controlId);
    };
    // Its first whole window (1 November) is due by the end of the next one (one period of grace).
    expect((await stateOf(catalog.id, control.id)).state).toBe("stale");
    expect(await stateOf(fed.catalogId, fed.id)).toMatchObject({ state: "passing" });
    await setClock("2026-11-05T00:00:01Z");
    expect((await stateOf(fed.catalogId, fed.id)).state).toBe("stale");
  });

  it("refuses malformed bodies and headers with 400 problem+json, oversized ones with 413", async () => {
    await setClock("2026-11-12T12:00:00Z");
    const { control } = await pushControl();
    for (const body of [
      {},
      { evidences: [{ key: "x", result: "maybe" }] },
      { evidences: [{ result: "pass" }] },
      {
        evidences: [PASS],
        at: "2026-11-12T12:00:00Z",
        window: { from: "2026-11-12T00:00:00Z", to: "2026-11-13T00:00:00Z" },
      },
      { evidences: [PASS], at: "yesterday" },
      { evidences: [PASS], value: "high" },
      { evidences: [PASS], extra: true },
    ]) {
      const response = await push(control.id, body);
      expectProblem(response, 400, "validation_failed");
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    const malformed = await request(app, "POST", `/api/v1/controls/${control.id}/evidence`, {
      token: apiToken,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expectProblem(await push(control.id, { evidences: [PASS] }, { key: "two words" }), 400, "validation_failed");
    const huge = {
      evidences: Array.from({ length: 9_000 }, (_, index) => ({ ...PASS, key: `k${index}`, value: "x".repeat(200) })),
    };
    expectProblem(await push(control.id, huge), 413, "payload_too_large");
    expect(await computationsOf(control.id)).toHaveLength(0);
  });

  it("is for push controls only, and for DEVELOPER and up: a USER is refused, a mashup control too, and a push control is never run", async () => {
    await setClock("2026-11-12T12:00:00Z");
    const { control } = await pushControl();
    const user = await signInAs(app, "USER");
    expectProblem(await push(control.id, { evidences: [PASS] }, { token: user.token }), 403, "forbidden");
    const runs = await request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
      token: developer.token,
      body: {},
    });
    expectProblem(runs, 409, "control_not_runnable");

    const catalog = await createCatalogVia(app, developer.token);
    const mashup = await createControlVia(app, developer.token, catalog.id);
    expect(mashup.kind).toBe("mashup");
    expectProblem(await push(mashup.id, { evidences: [PASS] }), 409, "control_not_push");
    const withMashup = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
      token: developer.token,
      body: { name: "Push with a mashup", kind: "push", mashupId: "flow-1" },
    });
    expectProblem(withMashup, 400, "validation_failed");
    expectProblem(await push("00000000-0000-4000-8000-000000000000", { evidences: [PASS] }), 404, "not_found");
  });
});
