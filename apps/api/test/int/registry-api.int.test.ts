import { RegistryComplianceSchema, RegistryGuaranteePageSchema, RegistryTrendsSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, waitForBatch } from "../engine/engine-helpers.ts";
import { createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** The registry API for integrators, over points the engine computed through real mashups. */
describe("registry API for integrators", () => {
  let app: TestApp;
  let developer: TestUser;
  let integrator: string;
  let catalogId: string;
  let passingId: string;
  let failingId: string;
  let scopeName: string;

  async function backfill(controlId: string, from: string, to: string) {
    const response = await request(app, "POST", `/api/v1/controls/${controlId}/backfill`, {
      token: developer.token,
      body: { from, to },
    });
    if (response.status !== 202) throw new Error(response.text);
    await waitForBatch(app, developer.token, response.body.batch.id);
  }

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { MASHUP_TIMEOUT_MS: "3000" } });
    developer = await signInAs(app, "DEVELOPER");
    const scope = await createScopeVia(app, developer.token);
    scopeName = scope.name;
    const { catalog, control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      period: "DAILY",
      threshold: 80,
    });
    catalogId = catalog.id;
    passingId = control.id;
    await createScopeSetVia(app, developer.token, passingId, { [scopeName]: "production" }, "Evaluated for production");
    const failing = await createControlVia(app, developer.token, catalogId, {
      mashupId: "test-fail",
      period: "WEEKLY",
      threshold: 90,
      name: 'Fails, "quoted"',
    });
    failingId = failing.id;
    // The integrator uses a personal API token, as seed 002 says ("STATUS tokens").
    const token = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: "integrator", expiresInDays: 1 },
    });
    integrator = token.body.token;
    await backfill(passingId, "2025-03-01T00:00:00Z", "2025-03-04T00:00:00Z");
    await backfill(failingId, "2025-03-03T00:00:00Z", "2025-03-17T00:00:00Z");
  });
  afterAll(() => app?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    request(app, "GET", path, { token: integrator, headers });

  it("lists guarantee points of a control in a date range, newest first, paginated", async () => {
    // A date as `to` includes that day: 1 and 2 March.
    const response = await get(
      `/api/v1/registry/guarantees?control_id=${passingId}&from=2025-03-01&to=2025-03-02&pageSize=1`,
    );
    expect(response.status).toBe(200);
    const page = RegistryGuaranteePageSchema.parse(response.body);
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      controlId: passingId,
      catalogId,
      agreementId: `tpa-${catalogId}`,
      windowStart: "2025-03-02T00:00:00.000Z",
      result: "pass",
      value: 100,
      source: "engine",
    });
    const second = await get(
      `/api/v1/registry/guarantees?control_id=${passingId}&from=2025-03-01&to=2025-03-02&pageSize=1&page=2`,
    );
    expect(second.body.items[0].windowStart).toBe("2025-03-01T00:00:00.000Z");
  });

  it("aggregates a catalog's compliance in total and per control", async () => {
    const response = await get(`/api/v1/registry/compliance?catalog_id=${catalogId}`);
    const compliance = RegistryComplianceSchema.parse(response.body);
    expect(compliance.summary).toMatchObject({
      pointCount: 5,
      passCount: 3,
      failCount: 2,
      notApplicableCount: 0,
      compliance: 60,
    });
    const byId = new Map(compliance.items.map((item) => [item.controlId, item]));
    expect(byId.get(passingId)).toMatchObject({
      pointCount: 3,
      passCount: 3,
      compliance: 100,
      averageValue: 100,
      latestWindowStart: "2025-03-03T00:00:00.000Z",
      latestResult: "pass",
    });
    expect(byId.get(failingId)).toMatchObject({ pointCount: 2, failCount: 2, compliance: 0, latestResult: "fail" });
  });

  it("filters compliance by scope (key:value)", async () => {
    const production = await get(`/api/v1/registry/compliance?catalog_id=${catalogId}&scope=${scopeName}:production`);
    expect(production.body.summary).toMatchObject({ pointCount: 3, passCount: 3, compliance: 100 });
    const staging = await get(`/api/v1/registry/compliance?catalog_id=${catalogId}&scope=${scopeName}:staging`);
    expect(staging.body.summary).toMatchObject({ pointCount: 0, compliance: null });
    expect(staging.body.scope).toBe(`${scopeName}:staging`);
  });

  it("buckets a control's trend by week and by month", async () => {
    const weekly = RegistryTrendsSchema.parse(
      (await get(`/api/v1/registry/trends?control_id=${passingId}&period=weekly`)).body,
    );
    // 2025-03-01 and 02 fall in the ISO week of Monday 24 Feb; 03 starts the next week.
    expect(weekly.items.map((bucket) => [bucket.bucketStart, bucket.pointCount])).toEqual([
      ["2025-02-24T00:00:00.000Z", 2],
      ["2025-03-03T00:00:00.000Z", 1],
    ]);
    const monthly = RegistryTrendsSchema.parse(
      (await get(`/api/v1/registry/trends?control_id=${failingId}&period=monthly`)).body,
    );
    expect(monthly.items).toEqual([
      expect.objectContaining({ bucketStart: "2025-03-01T00:00:00.000Z", pointCount: 2, compliance: 0 }),
    ]);
  });

  it("answers CSV with Accept: text/csv, quoted per RFC 4180", async () => {
    const response = await get(`/api/v1/registry/compliance?catalog_id=${catalogId}`, { accept: "text/csv" });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("x-total-count")).toBe("2");
    const lines = response.text.split("\r\n");
    expect(lines[0]).toBe(
      "controlId,controlName,pointCount,passCount,failCount,notApplicableCount,compliance,averageValue,latestWindowStart,latestResult",
    );
    expect(lines.find((line) => line.startsWith(failingId))).toContain(',"Fails, ""quoted""",2,0,2,0,0,');
    const guarantees = await get(`/api/v1/registry/guarantees?control_id=${passingId}`, { accept: "text/csv" });
    expect(guarantees.text.split("\r\n").filter(Boolean)).toHaveLength(4);
  });

  it("refuses bad filters with every issue, unknown ids with 404, and callers without a token", async () => {
    const problem = expectProblem(
      await get("/api/v1/registry/trends?period=yearly&from=yesterday"),
      400,
      "validation_failed",
    );
    expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
      "query.control_id",
      "query.from",
      "query.period",
    ]);
    expectProblem(
      await get("/api/v1/registry/compliance?catalog_id=00000000-0000-4000-8000-000000000000"),
      404,
      "not_found",
    );
    expectProblem(
      await request(app, "GET", `/api/v1/registry/guarantees?control_id=${passingId}`),
      401,
      "unauthenticated",
    );
  });

  describe("at seed 002's literal paths, /api/registry/…", () => {
    it.each([
      ["guarantees", () => `control_id=${passingId}&from=2025-03-01&to=2025-03-03`],
      ["compliance", () => `catalog_id=${catalogId}&scope=${scopeName}:production`],
      ["trends", () => `control_id=${failingId}&period=monthly`],
    ])("answers /api/registry/%s as /api/v1/registry/%s does, in JSON and CSV", async (name, query) => {
      const seed = await get(`/api/registry/${name}?${query()}`);
      const versioned = await get(`/api/v1/registry/${name}?${query()}`);
      const csv = await get(`/api/registry/${name}?${query()}`, { accept: "text/csv" });

      expect(seed.status).toBe(200);
      expect(seed.body).toEqual(versioned.body);
      expect(seed.headers.get("cache-control")).toBe("no-store");
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.text).toBe((await get(`/api/v1/registry/${name}?${query()}`, { accept: "text/csv" })).text);
    });

    it("takes the same credentials: none is 401, a session of any role or a personal token is enough", async () => {
      const user = await signInAs(app, "USER");
      const path = `/api/registry/guarantees?control_id=${passingId}`;

      const anonymous = expectProblem(await request(app, "GET", path), 401, "unauthenticated");
      expect(anonymous.instance).toBe("/api/registry/guarantees");
      expect((await request(app, "GET", path, { token: user.token })).status).toBe(200);
      expect((await request(app, "GET", path, { headers: { "x-access-token": integrator } })).status).toBe(200);
    });

    it("validates like the versioned routes, and knows no other registry path", async () => {
      const problem = expectProblem(await get("/api/registry/trends?period=yearly"), 400, "validation_failed");
      expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
        "query.control_id",
        "query.period",
      ]);
      expectProblem(await get("/api/registry/points"), 404, "route_not_found");
      expectProblem(await get("/api/registry/guaranteesx"), 404, "route_not_found");
    });
  });
});
