import { CatalogFromFrameworkResultSchema, ImportResultSchema, type Framework } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("a catalog started from a framework", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;
  let low: Framework;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    const installed = await request(app, "POST", "/api/v1/frameworks/library/nist-800-53-rev5-low/install", {
      token: developer.token,
    });
    low = ImportResultSchema.parse(installed.body).framework;
  });
  afterAll(() => app?.close());

  const start = (body: unknown, token = developer.token) =>
    request(app, "POST", `/api/v1/frameworks/${low.id}/catalogs`, { token, body });

  async function requirementId(key: string): Promise<string> {
    const { rows } = await app.deps.db.query(
      "select id from requirements where framework_id = $1 and requirement_key = $2",
      [low.id, key],
    );
    return rows[0].id;
  }

  it("from the whole baseline: a draft catalog with 149 draft controls, each mapped to its requirement", async () => {
    const name = `LOW ${uniqueSuffix()}`;

    const response = await start({ name, period: "DAILY", selection: { all: true } });

    expect(response.status).toBe(201);
    const result = CatalogFromFrameworkResultSchema.parse(response.body);
    expect(response.headers.get("location")).toBe(`/api/v1/catalogs/${result.catalog.id}`);
    expect(result).toMatchObject({ controlCount: 149, mappingCount: 149 });
    expect(result.catalog).toMatchObject({ name, status: "draft", controlCount: 149 });
    const { rows } = await app.deps.db.query(
      `select c.name, c.description, c.mashup_id, c.period, c.status, r.requirement_key, m.relationship
       from controls c join control_requirements m on m.control_id = c.id join requirements r on r.id = m.requirement_id
       where c.catalog_id = $1 order by r.position`,
      [result.catalog.id],
    );
    expect(rows).toHaveLength(149);
    expect(rows[1]).toMatchObject({
      name: "AC-2 Account Management",
      mashup_id: null,
      period: "DAILY",
      status: "draft",
      requirement_key: "ac-2",
      relationship: "equivalent-to",
    });
    expect(rows[1].description).toContain("a. Define and document the types of accounts");
  });

  it("from groups and single requirements: their union, enhancements coming with their group", async () => {
    const at2 = await requirementId("at-2");
    const { rows } = await app.deps.db.query(
      "select count(*)::int as n from requirements where framework_id = $1 and group_key = 'ia'",
      [low.id],
    );

    const response = await start({
      name: `Identification ${uniqueSuffix()}`,
      relationship: "subset-of",
      selection: { groupIds: ["ia"], requirementIds: [at2] },
    });

    expect(response.status).toBe(201);
    expect(response.body.controlCount).toBe(rows[0].n + 1);
    const controlId = (
      await app.deps.db.query("select id from controls where catalog_id = $1 and name like 'AT-2 %'", [
        response.body.catalog.id,
      ])
    ).rows[0].id;
    const mappings = await request(app, "GET", `/api/v1/controls/${controlId}/requirements`, { token: reader.token });
    expect(mappings.body.items).toEqual([
      expect.objectContaining({ requirementKey: "at-2", relationship: "subset-of", frameworkId: low.id }),
    ]);
  });

  it("refuses unknown groups and requirements by path, a taken name with 409 (nothing created), and a USER", async () => {
    const name = `Taken ${uniqueSuffix()}`;
    await start({ name, selection: { requirementIds: [await requirementId("ac-1")] } });
    const { rows: before } = await app.deps.db.query("select count(*)::int as n from controls");

    const unknown = await start({
      name: `Unknown ${uniqueSuffix()}`,
      selection: { groupIds: ["zz"], requirementIds: ["00000000-0000-4000-8000-000000000000"] },
    });
    const taken = await start({ name, selection: { all: true } });
    const nothing = await start({ name: `Empty ${uniqueSuffix()}`, selection: {} });

    expect(
      expectProblem(unknown, 400, "validation_failed").errors.map((error: { path: string }) => error.path),
    ).toEqual(["body.selection.groupIds.0", "body.selection.requirementIds.0"]);
    expectProblem(taken, 409, "duplicate");
    expectProblem(nothing, 400, "validation_failed");
    const { rows: after } = await app.deps.db.query("select count(*)::int as n from controls");
    expect(after[0].n).toBe(before[0].n);
    expectProblem(await start({ name: "x", selection: { all: true } }, reader.token), 403, "forbidden");
  });
});
