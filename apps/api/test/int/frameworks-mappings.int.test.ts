import {
  ControlRequirementMappingListSchema,
  ControlRequirementMappingSchema,
  ImportMappingsResultSchema,
  ImportResultSchema,
  RequirementSearchPageSchema,
  type Control,
  type Framework,
} from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateOscal } from "../../src/modules/frameworks/oscal/oscal-schema.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { loadOscal } from "../oscal-fixtures.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("mappings of controls to requirements", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;
  let framework: Framework;
  let requirementIds: Map<string, string>;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    const document = loadOscal("basic-catalog");
    document.catalog.metadata.title = `ISO excerpt ${uniqueSuffix()}`;
    const imported = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: { format: "oscal-catalog", document },
    });
    framework = ImportResultSchema.parse(imported.body).framework;
    const { rows } = await app.deps.db.query<{ key: string; id: string }>(
      "select requirement_key as key, id from requirements where framework_id = $1",
      [framework.id],
    );
    requirementIds = new Map(rows.map((row) => [row.key, row.id]));
  });
  afterAll(() => app?.close());

  async function newControl(): Promise<Control> {
    const catalog = await createCatalogVia(app, developer.token);
    return createControlVia(app, developer.token, catalog.id);
  }

  function map(controlId: string, body: unknown, token = developer.token) {
    return request(app, "POST", `/api/v1/controls/${controlId}/requirements`, { token, body });
  }

  it("maps a control with a relationship and rationale (201), replaces it for the same pair (200) and lists it", async () => {
    const control = await newControl();
    const requirementId = requirementIds.get("s2.1.1")!;

    const created = await map(control.id, { requirementId, relationship: "subset-of", rationale: "Checks MFA only" });
    const replaced = await map(control.id, { requirementId, relationship: "equivalent-to" });
    const listed = await request(app, "GET", `/api/v1/controls/${control.id}/requirements`, { token: reader.token });

    expect(created.status).toBe(201);
    const mapping = ControlRequirementMappingSchema.parse(created.body);
    expect(mapping).toMatchObject({
      controlId: control.id,
      requirementId,
      frameworkId: framework.id,
      requirementKey: "s2.1.1",
      requirementLabel: "2.1.1",
      relationship: "subset-of",
      rationale: "Checks MFA only",
      createdBy: developer.id,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: mapping.id, relationship: "equivalent-to", rationale: null });
    expect(ControlRequirementMappingListSchema.parse(listed.body).items.map((item) => item.id)).toEqual([mapping.id]);
    const { rows } = await app.deps.db.query(
      "select action from audit_log where resource_type = 'control_requirement' and resource_id = $1 order by id",
      [mapping.id],
    );
    expect(rows.map((row) => row.action)).toEqual(["create", "update"]);
  });

  it("refuses an unknown relationship (400), an unknown requirement or control (404) and a USER (403)", async () => {
    const control = await newControl();
    const requirementId = requirementIds.get("s1.1.1")!;

    expectProblem(await map(control.id, { requirementId, relationship: "related-to" }), 400, "validation_failed");
    expectProblem(
      await map(control.id, { requirementId: "00000000-0000-4000-8000-000000000000", relationship: "subset-of" }),
      404,
      "not_found",
    );
    expectProblem(
      await map("00000000-0000-4000-8000-000000000000", { requirementId, relationship: "subset-of" }),
      404,
      "not_found",
    );
    expectProblem(await map(control.id, { requirementId, relationship: "subset-of" }, reader.token), 403, "forbidden");
  });

  it("removes a mapping (204, audited) and then answers 404", async () => {
    const control = await newControl();
    const requirementId = requirementIds.get("s1.1.2")!;
    await map(control.id, { requirementId, relationship: "intersects-with" });
    const path = `/api/v1/controls/${control.id}/requirements/${requirementId}`;

    const removed = await request(app, "DELETE", path, { token: developer.token });
    const again = await request(app, "DELETE", path, { token: developer.token });

    expect(removed.status).toBe(204);
    expectProblem(again, 404, "not_found");
    const { rows } = await app.deps.db.query(
      "select count(*)::int as n from control_requirements where control_id = $1",
      [control.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it("finds requirements across frameworks for the mapping picker", async () => {
    const response = await request(app, "GET", `/api/v1/requirements?q=access%20control%20policy`, {
      token: reader.token,
    });

    const page = RequirementSearchPageSchema.parse(response.body);
    const hit = page.items.find((item) => item.frameworkId === framework.id);
    expect(hit).toMatchObject({ key: "s2.1.1", frameworkName: framework.name });
  });

  it("exports an OSCAL 1.2 mapping-collection that validates, and importing it restores the mappings", async () => {
    const control = await newControl();
    await map(control.id, {
      requirementId: requirementIds.get("s1.1.1")!,
      relationship: "superset-of",
      rationale: "More",
    });
    await map(control.id, { requirementId: requirementIds.get("s1.1.2")!, relationship: "equivalent-to" });

    const exported = await request(
      app,
      "GET",
      `/api/v1/frameworks/${framework.id}/mappings?catalogId=${control.catalogId}`,
      {
        token: reader.token,
      },
    );
    for (const key of ["s1.1.1", "s1.1.2"])
      await request(app, "DELETE", `/api/v1/controls/${control.id}/requirements/${requirementIds.get(key)}`, {
        token: developer.token,
      });
    const preview = await request(app, "POST", `/api/v1/frameworks/${framework.id}/mappings?dryRun=true`, {
      token: developer.token,
      body: { document: exported.body },
    });
    const afterPreview = await request(app, "GET", `/api/v1/controls/${control.id}/requirements`, {
      token: reader.token,
    });
    const imported = await request(app, "POST", `/api/v1/frameworks/${framework.id}/mappings`, {
      token: developer.token,
      body: { document: exported.body },
    });

    expect(exported.status).toBe(200);
    expect(validateOscal("mapping", exported.body)).toEqual([]);
    const maps = exported.body["mapping-collection"].mappings[0].maps;
    expect(maps).toEqual([
      expect.objectContaining({
        relationship: "superset-of",
        sources: [expect.objectContaining({ type: "control", "id-ref": control.id })],
        targets: [{ type: "control", "id-ref": "s1.1.1" }],
        remarks: "More",
      }),
      expect.objectContaining({ relationship: "equivalent-to", targets: [{ type: "control", "id-ref": "s1.1.2" }] }),
    ]);
    expect(ImportMappingsResultSchema.parse(preview.body)).toEqual({
      dryRun: true,
      created: 2,
      updated: 0,
      problems: [],
    });
    expect(afterPreview.body.items).toHaveLength(0);
    expect(ImportMappingsResultSchema.parse(imported.body)).toEqual({
      dryRun: false,
      created: 2,
      updated: 0,
      problems: [],
    });
    const listed = await request(app, "GET", `/api/v1/controls/${control.id}/requirements`, { token: reader.token });
    expect(
      listed.body.items.map((item: { requirementKey: string; relationship: string }) => [
        item.requirementKey,
        item.relationship,
      ]),
    ).toEqual([
      ["s1.1.1", "superset-of"],
      ["s1.1.2", "equivalent-to"],
    ]);
  });

  it("refuses a mapping-collection naming an unknown control or requirement, by JSON path, storing nothing", async () => {
    const control = await newControl();
    await map(control.id, { requirementId: requirementIds.get("s2.1.2")!, relationship: "subset-of" });
    const exported = await request(
      app,
      "GET",
      `/api/v1/frameworks/${framework.id}/mappings?catalogId=${control.catalogId}`,
      {
        token: reader.token,
      },
    );
    const document = exported.body;
    const entry = document["mapping-collection"].mappings[0].maps[0];
    entry.targets = [{ type: "control", "id-ref": "zz-99" }];
    entry.sources = [...entry.sources, { type: "control", "id-ref": "00000000-0000-4000-8000-000000000000" }];

    const response = await request(app, "POST", `/api/v1/frameworks/${framework.id}/mappings`, {
      token: developer.token,
      body: { document },
    });

    expectProblem(response, 422, "import_invalid");
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { path: '$["mapping-collection"].mappings[0].maps[0]', message: "The framework has no requirement zz-99" },
        {
          path: '$["mapping-collection"].mappings[0].maps[0]',
          message: "No STATUS control 00000000-0000-4000-8000-000000000000",
        },
      ]),
    );
  });
});
