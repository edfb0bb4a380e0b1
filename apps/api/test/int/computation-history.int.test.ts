import { ComputationPageSchema, ComputationScopesSchema, type Computation } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";

/**
 * The control page's computation history: filters by result and scope, the fields its table shows (scope, window,
 * version, recorded or not), sortable, and the page that holds one computation. Runs go through the real example
 * mashup over its sample data: staging's backup of 2025-01-13 failed.
 */
describe("computation history", () => {
  let app: TestApp;
  let developer: TestUser;
  let controlId: string;
  let environment: string;

  async function list(query: string, id = controlId) {
    return request(app, "GET", `/api/v1/controls/${id}/computations?${query}`, { token: developer.token });
  }
  function items(response: { body: unknown }): Computation[] {
    return ComputationPageSchema.parse(response.body).items;
  }
  const day = (computation: Computation) => computation.windowStart.slice(0, 10);

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "nightly-backups-succeeded",
      period: "DAILY",
      threshold: 100,
      scopes: [{ environment: "production" }, { environment: "staging" }],
    });
    controlId = control.id;
    const created = await startRuns(app, developer.token, control.id, {
      from: "2025-01-12T00:00:00Z",
      to: "2025-01-15T00:00:00Z",
    });
    const { runs } = await waitForBatch(app, developer.token, created.batch.id, 60_000);
    expect(runs.map((run) => run.status)).toEqual(Array(6).fill("succeeded"));
    environment = Object.keys(runs[0]!.scope)[0]!;
  }, 90_000);
  afterAll(() => app?.close());

  it("answers scope, window, version, recorded-or-not, result and compliance for each computation", async () => {
    const computations = items(await list("pageSize=50"));

    expect(computations).toHaveLength(6);
    expect(new Set(computations.map((computation) => JSON.stringify(computation.scope)))).toEqual(
      new Set([JSON.stringify({ [environment]: "production" }), JSON.stringify({ [environment]: "staging" })]),
    );
    for (const computation of computations) {
      expect(computation).toMatchObject({ status: "ready", controlVersion: 1, recording: "recorded" });
      expect(computation.pointId).not.toBeNull();
    }
  });

  it("filters by result: the failing night only (both scopes check every environment the flow sees)", async () => {
    const failing = items(await list("result=fail"));
    const passing = items(await list("result=pass&pageSize=50"));

    expect(failing.map(day)).toEqual(["2025-01-13", "2025-01-13"]);
    expect(failing.every((computation) => computation.result === "fail" && computation.compliance === 50)).toBe(true);
    expect(passing).toHaveLength(4);
    expect(items(await list("result=not_applicable"))).toEqual([]);
    expect(items(await list("result=error"))).toEqual([]);
  });

  it("filters by scope, one or several key:value pairs, combined with result", async () => {
    const staging = items(await list(`scope=${environment}:staging`));
    const stagingFailing = items(await list(`scope=${environment}:staging&result=fail`));

    expect(staging).toHaveLength(3);
    expect(staging.every((computation) => computation.scope[environment] === "staging")).toBe(true);
    expect(stagingFailing.map((computation) => [day(computation), computation.scope[environment]])).toEqual([
      ["2025-01-13", "staging"],
    ]);
    expect(items(await list(`scope=${environment}:staging,${environment}:x`))).toEqual([]);
    expect(items(await list(`scope=${environment}:nowhere`))).toEqual([]);
  });

  it("sorts by window, compliance or result", async () => {
    const oldestFirst = items(await list("sort=windowStart&pageSize=50")).map(day);
    const byCompliance = items(await list("sort=compliance&pageSize=50")).map((computation) => computation.compliance);
    const byResult = items(await list("sort=-result&pageSize=50")).map((computation) => computation.result);

    expect(oldestFirst).toEqual([...oldestFirst].sort());
    expect(byCompliance).toEqual([50, 50, 100, 100, 100, 100]);
    expect(byResult).toEqual(["pass", "pass", "pass", "pass", "fail", "fail"]);
  });

  it("answers the page that holds a computation with `around`, under the same filters and sort", async () => {
    const all = items(await list("sort=windowStart&pageSize=50"));
    const fifth = all[4]!;

    const around = await list(`sort=windowStart&pageSize=2&around=${fifth.id}`);
    const filteredOut = await list(`sort=windowStart&pageSize=2&page=2&result=fail&around=${fifth.id}`);

    expect(around.body).toMatchObject({ page: 3, pageSize: 2, total: 6 });
    expect(items(around).map((computation) => computation.id)).toContain(fifth.id);
    // Not among the failing ones: the requested page, as without `around`.
    expect(filteredOut.body).toMatchObject({ page: 2, total: 2 });
  });

  it("lists the scopes the control was computed for, with their counts", async () => {
    const response = await request(app, "GET", `/api/v1/controls/${controlId}/computation-scopes`, {
      token: developer.token,
    });

    expect(ComputationScopesSchema.parse(response.body).items).toEqual([
      { scope: { [environment]: "production" }, count: 3 },
      { scope: { [environment]: "staging" }, count: 3 },
    ]);
  });

  it("answers 400 for a result, scope, sort or around it does not know", async () => {
    for (const query of ["result=broken", "result=Fail", "scope=nocolon", "scope=Team:x", "sort=status", "around=1"]) {
      const problem = expectProblem(await list(query), 400, "validation_failed");
      expect(problem.errors[0].path, query).toMatch(/^query\./);
    }
  });

  it("answers 404 for a control that does not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expectProblem(await list("result=fail", missing), 404, "not_found");
    expectProblem(
      await request(app, "GET", `/api/v1/controls/${missing}/computation-scopes`, { token: developer.token }),
      404,
      "not_found",
    );
  });

  it("tells a draft's computations (never recorded) and failed runs (result=error) apart", async () => {
    const catalog = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
    const draft = await createControlVia(app, developer.token, catalog.id, {
      mashupId: "test-pass",
      period: "DAILY",
      threshold: 80,
    });
    const { control: broken } = await createEvaluableControl(app, developer.token, { mashupId: "test-malformed" });
    const window = { from: "2025-01-02T00:00:00Z", to: "2025-01-03T00:00:00Z" };
    await Promise.all(
      [draft.id, broken.id].map(async (id) =>
        waitForBatch(app, developer.token, (await startRuns(app, developer.token, id, window)).batch.id),
      ),
    );

    const [drafted] = items(await list("", draft.id));
    expect(drafted).toMatchObject({ status: "ready", result: "pass", pointId: null, recording: "draft" });
    const errors = items(await list("result=error", broken.id));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: "failed", result: null, recording: "not_recorded" });
    expect(items(await list("result=fail", broken.id))).toEqual([]);
  });
});
