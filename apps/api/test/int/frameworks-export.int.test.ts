import { ImportResultSchema, LibraryListSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateOscal } from "../../src/modules/frameworks/oscal/oscal-schema.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { loadOscal } from "../oscal-fixtures.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const LOW = "nist-800-53-rev5-low";

describe("framework export and the bundled library", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  const importBody = (body: unknown) =>
    request(app, "POST", "/api/v1/frameworks/import", { token: developer.token, body });

  /** What a requirement is, without the ids and order of its storage. */
  async function requirementsOf(frameworkId: string) {
    const { rows } = await app.deps.db.query(
      `select requirement_key, label, title, statement, guidance, group_key, parent_key, class_name, depth, params
       from requirements where framework_id = $1 order by position`,
      [frameworkId],
    );
    return rows;
  }

  async function exportOf(frameworkId: string) {
    const response = await request(app, "GET", `/api/v1/frameworks/${frameworkId}/oscal`, { token: reader.token });
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Exports a framework, checks the document against the schema, imports it under another title: same requirements. */
  async function expectRoundTrip(frameworkId: string) {
    const exported = await exportOf(frameworkId);
    expect(validateOscal("catalog", exported)).toEqual([]);
    exported.catalog.metadata.title = `Round trip ${uniqueSuffix()}`;
    const again = ImportResultSchema.parse((await importBody({ format: "oscal-catalog", document: exported })).body);
    expect(await requirementsOf(again.framework.id)).toEqual(await requirementsOf(frameworkId));
    return exported;
  }

  it("exports the example catalog as OSCAL that validates and imports back to the same requirements", async () => {
    const document = loadOscal("basic-catalog");
    document.catalog.metadata.title = `ISO excerpt ${uniqueSuffix()}`;
    const original = ImportResultSchema.parse((await importBody({ format: "oscal-catalog", document })).body);

    const exported = await expectRoundTrip(original.framework.id);

    expect(exported.catalog.uuid).toBe(document.catalog.uuid);
    expect(exported.catalog.metadata).toMatchObject({ version: "1.1", "oscal-version": "1.2.1" });
    expect(exported.catalog.groups.map((group: { id: string }) => group.id)).toEqual(["s1", "s2"]);
  });

  it("lists the bundled LOW baseline, installs it without network (201, then 200 unchanged) and marks it installed", async () => {
    const before = LibraryListSchema.parse(
      (await request(app, "GET", "/api/v1/frameworks/library", { token: reader.token })).body,
    );

    const installed = await request(app, "POST", `/api/v1/frameworks/library/${LOW}/install`, {
      token: developer.token,
    });
    const again = await request(app, "POST", `/api/v1/frameworks/library/${LOW}/install`, { token: developer.token });
    const after = LibraryListSchema.parse(
      (await request(app, "GET", "/api/v1/frameworks/library", { token: reader.token })).body,
    );

    expect(before.items).toEqual([
      expect.objectContaining({
        name: LOW,
        title: "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE",
        version: "5.1.1+u4",
        oscalVersion: "1.1.2",
        requirementCount: 149,
        groupCount: 18,
        installedFrameworkId: null,
      }),
    ]);
    expect(installed.status).toBe(201);
    const result = ImportResultSchema.parse(installed.body);
    expect(result.framework).toMatchObject({ source: "library", requirementCount: 149, groupCount: 18 });
    expect(again.status).toBe(200);
    expect(again.body.counts).toMatchObject({ created: 0, updated: 0, unchanged: 149 });
    expect(after.items[0]!.installedFrameworkId).toBe(result.framework.id);
  });

  it("exports the LOW baseline as OSCAL that validates and imports back to the same 149 requirements", async () => {
    const installed = await request(app, "POST", `/api/v1/frameworks/library/${LOW}/install`, {
      token: developer.token,
    });

    const exported = await expectRoundTrip(installed.body.framework.id);

    expect(exported.catalog.groups).toHaveLength(18);
  });

  it("exports a sheet's framework with requirement and group keys that are not OSCAL tokens and keeps them on re-import", async () => {
    const csv = [
      "id,title,description,group,parent",
      "5.1,Policies,Have policies,Organizational controls,",
      "5.1.a,Review,Review them,Organizational controls,5.1",
    ].join("\n");
    const sheet = await importBody({
      format: "csv",
      name: `ISO ${uniqueSuffix()}`,
      version: "2022",
      content: csv,
      columns: { parent: "parent" },
    });

    await expectRoundTrip(sheet.body.framework.id);
  });

  it("needs DEVELOPER to install and answers 404 for a name the library lacks", async () => {
    expectProblem(
      await request(app, "POST", `/api/v1/frameworks/library/${LOW}/install`, { token: reader.token }),
      403,
      "forbidden",
    );
    expectProblem(
      await request(app, "POST", "/api/v1/frameworks/library/iso-27001/install", { token: developer.token }),
      404,
      "not_found",
    );
  });
});
