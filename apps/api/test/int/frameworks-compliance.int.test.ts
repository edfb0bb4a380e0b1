import { FrameworkComplianceSchema, ImportResultSchema, type Framework } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { loadOscal } from "../oscal-fixtures.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/** The roll-up: requirement states from real points of mapped controls, evaluated by the engine on Node-RED. */
describe("framework compliance roll-up", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;
  let iso: Framework;
  let soc: Framework;
  let requirementIds: Map<string, string>;
  let passing: { id: string; catalogId: string };
  let failing: { id: string; catalogId: string };
  let unevaluated: { id: string; catalogId: string };
  const to = new Date(new Date().toISOString().slice(0, 10)).getTime() - DAY_MS;
  const from = to - 2 * DAY_MS;
  const period = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;

  async function importFramework(body: unknown): Promise<Framework> {
    const response = await request(app, "POST", "/api/v1/frameworks/import", { token: developer.token, body });
    return ImportResultSchema.parse(response.body).framework;
  }

  async function evaluatedControl(mashupId: string) {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId, threshold: 80 });
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id, range)).batch.id);
    return control;
  }

  async function map(controlId: string, requirementId: string, relationship = "subset-of") {
    const response = await request(app, "POST", `/api/v1/controls/${controlId}/requirements`, {
      token: developer.token,
      body: { requirementId, relationship },
    });
    if (response.status !== 201) throw new Error(`mapping failed: ${response.text}`);
  }

  async function compliance(frameworkId: string, query = period) {
    const response = await request(app, "GET", `/api/v1/frameworks/${frameworkId}/compliance?${query}`, {
      token: reader.token,
    });
    return FrameworkComplianceSchema.parse(response.body);
  }

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    const document = loadOscal("basic-catalog");
    document.catalog.metadata.title = `ISO excerpt ${uniqueSuffix()}`;
    iso = await importFramework({ format: "oscal-catalog", document });
    soc = await importFramework({
      format: "csv",
      name: `SOC 2 ${uniqueSuffix()}`,
      version: "2017",
      content: "id,title,group\nCC6.1,Logical access,CC6\n",
    });
    const { rows } = await app.deps.db.query<{ key: string; id: string }>(
      "select requirement_key as key, id from requirements where framework_id = any($1::uuid[])",
      [[iso.id, soc.id]],
    );
    requirementIds = new Map(rows.map((row) => [row.key, row.id]));
    passing = await evaluatedControl("test-pass");
    failing = await evaluatedControl("test-fail");
    unevaluated = (await createEvaluableControl(app, developer.token, { mashupId: "test-pass" })).control;
    await map(passing.id, requirementIds.get("s1.1.1")!, "equivalent-to");
    await map(passing.id, requirementIds.get("s1.1.2")!);
    await map(failing.id, requirementIds.get("s1.1.2")!);
    await map(passing.id, requirementIds.get("s2.1.1")!);
    await map(unevaluated.id, requirementIds.get("s2.1.1")!);
    await map(passing.id, requirementIds.get("CC6.1")!);
  });
  afterAll(() => app?.close());

  it("is satisfied when every mapped control passed, not satisfied when one failed, not assessed otherwise", async () => {
    const rollUp = await compliance(iso.id);

    const states = Object.fromEntries(rollUp.requirements.map((requirement) => [requirement.key, requirement.status]));
    expect(states).toEqual({
      "s1.1.1": "satisfied",
      "s1.1.2": "not-satisfied",
      "s2.1.1": "not-assessed",
      "s2.1.2": "not-assessed",
    });
    const s112 = rollUp.requirements.find((requirement) => requirement.key === "s1.1.2")!;
    expect(s112.controls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ controlId: passing.id, status: "pass", passCount: 2, failCount: 0 }),
        expect.objectContaining({ controlId: failing.id, status: "fail", passCount: 0, failCount: 2 }),
      ]),
    );
    const s211 = rollUp.requirements.find((requirement) => requirement.key === "s2.1.1")!;
    expect(s211.controls.find((control) => control.controlId === unevaluated.id)).toMatchObject({
      status: "not-evaluated",
      passCount: 0,
    });
    expect(rollUp.overall).toEqual({ total: 4, satisfied: 1, notSatisfied: 1, notAssessed: 2, mapped: 3 });
    expect(rollUp.groups).toEqual([
      {
        groupId: "s1",
        title: expect.any(String),
        counts: { total: 2, satisfied: 1, notSatisfied: 1, notAssessed: 0, mapped: 2 },
      },
      {
        groupId: "s1.1",
        title: expect.any(String),
        counts: { total: 2, satisfied: 1, notSatisfied: 1, notAssessed: 0, mapped: 2 },
      },
      {
        groupId: "s2",
        title: expect.any(String),
        counts: { total: 2, satisfied: 0, notSatisfied: 0, notAssessed: 2, mapped: 1 },
      },
      {
        groupId: "s2.1",
        title: expect.any(String),
        counts: { total: 2, satisfied: 0, notSatisfied: 0, notAssessed: 2, mapped: 1 },
      },
    ]);
  });

  it("counts one control mapped to two frameworks in both", async () => {
    const rollUp = await compliance(soc.id);

    expect(rollUp.requirements).toEqual([
      expect.objectContaining({
        key: "CC6.1",
        status: "satisfied",
        controls: [expect.objectContaining({ controlId: passing.id })],
      }),
    ]);
    expect(rollUp.groups).toEqual([
      { groupId: "CC6", title: "CC6", counts: { total: 1, satisfied: 1, notSatisfied: 0, notAssessed: 0, mapped: 1 } },
    ]);
  });

  it("counts only the period's points, and only one catalog's controls with catalogId", async () => {
    const earlier = `from=${new Date(from - 10 * DAY_MS).toISOString()}&to=${new Date(from - 5 * DAY_MS).toISOString()}`;

    const empty = await compliance(iso.id, earlier);
    const failingOnly = await compliance(iso.id, `${period}&catalogId=${failing.catalogId}`);

    expect(empty.overall).toMatchObject({ satisfied: 0, notSatisfied: 0, notAssessed: 4, mapped: 3 });
    expect(failingOnly.catalogId).toBe(failing.catalogId);
    expect(failingOnly.overall).toEqual({ total: 4, satisfied: 0, notSatisfied: 1, notAssessed: 3, mapped: 1 });
  });

  it("needs to come after from", async () => {
    const response = await request(
      app,
      "GET",
      `/api/v1/frameworks/${iso.id}/compliance?from=${new Date(to).toISOString()}&to=${new Date(from).toISOString()}`,
      { token: reader.token },
    );
    expectProblem(response, 400, "validation_failed");
  });
});
