import {
  FrameworkDetailSchema,
  ImportPreviewSchema,
  ImportResultSchema,
  RequirementTreePageSchema,
  type RequirementNode,
} from "@status/shared";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { controlIdsOf, loadOscal } from "../oscal-fixtures.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("framework import", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  /** A catalog document with a title of its own, so tests do not update each other's frameworks. */
  function catalogNamed(name: "basic-catalog" | "low-catalog", title = `${name} ${uniqueSuffix()}`) {
    const document = loadOscal(name);
    document.catalog.metadata.title = title;
    return document;
  }

  function importBody(body: unknown, query = "") {
    return request(app, "POST", `/api/v1/frameworks/import${query}`, { token: developer.token, body });
  }

  async function storedKeys(frameworkId: string): Promise<string[]> {
    const { rows } = await app.deps.db.query<{ key: string }>(
      "select requirement_key as key from requirements where framework_id = $1 order by position",
      [frameworkId],
    );
    return rows.map((row) => row.key);
  }

  describe("OSCAL catalogs", () => {
    it("imports the example catalog: 4 requirements in 4 nested groups, with the tree and its groups", async () => {
      const document = catalogNamed("basic-catalog");

      const response = await importBody({ format: "oscal-catalog", document });

      expect(response.status).toBe(201);
      const result = ImportResultSchema.parse(response.body);
      expect(response.headers.get("location")).toBe(`/api/v1/frameworks/${result.framework.id}`);
      expect(result.counts).toEqual({
        requirements: 4,
        topLevel: 4,
        children: 0,
        groups: 4,
        params: 2,
        created: 4,
        updated: 0,
        unchanged: 0,
      });
      expect(result.framework).toMatchObject({
        version: "1.1",
        source: "oscal-catalog",
        oscalVersion: "1.1.2",
        requirementCount: 4,
        groupCount: 4,
        importedBy: developer.id,
      });
      expect(await storedKeys(result.framework.id)).toEqual(["s1.1.1", "s1.1.2", "s2.1.1", "s2.1.2"]);

      const detail = FrameworkDetailSchema.parse(
        (await request(app, "GET", `/api/v1/frameworks/${result.framework.id}`, { token: reader.token })).body,
      );
      expect(detail.groups.map((group) => [group.id, group.parentId, group.requirementCount])).toEqual([
        ["s1", null, 0],
        ["s1.1", "s1", 2],
        ["s2", null, 0],
        ["s2.1", "s2", 2],
      ]);
      const tree = RequirementTreePageSchema.parse(
        (
          await request(app, "GET", `/api/v1/frameworks/${result.framework.id}/requirements?group=s2`, {
            token: reader.token,
          })
        ).body,
      );
      expect(tree.items.map((item) => [item.key, item.label, item.groupTitle])).toEqual([
        ["s2.1.1", "2.1.1", "Business requirements of access control"],
        ["s2.1.2", "2.1.2", "Business requirements of access control"],
      ]);
      expect(tree.items[0]!.statement).toContain("An access control policy should be established");
    });

    it("imports the NIST SP 800-53 rev5 LOW baseline: 149 requirements (131 controls, 18 enhancements) in 18 groups", async () => {
      const document = catalogNamed("low-catalog");

      const response = await importBody({ format: "oscal-catalog", document });

      expect(response.status).toBe(201);
      const result = ImportResultSchema.parse(response.body);
      expect(result.counts).toMatchObject({ requirements: 149, topLevel: 131, children: 18, groups: 18, params: 445 });
      expect(await storedKeys(result.framework.id)).toEqual(controlIdsOf(document));
      const { rows } = await app.deps.db.query(
        `select label, parent_key, depth, group_key, title, jsonb_array_length(params) as params
         from requirements where framework_id = $1 and requirement_key = 'ia-2.1'`,
        [result.framework.id],
      );
      expect(rows[0]).toEqual(
        expect.objectContaining({ label: "IA-2(1)", parent_key: "ia-2", depth: 1, group_key: "ia" }),
      );

      const tree = RequirementTreePageSchema.parse(
        (
          await request(
            app,
            "GET",
            `/api/v1/frameworks/${result.framework.id}/requirements?search=account&pageSize=5`,
            {
              token: reader.token,
            },
          )
        ).body,
      );
      const ac2 = tree.items.find((item) => item.key === "ac-2") as RequirementNode;
      expect(ac2.isMatch).toBe(true);
      expect(tree.matchCount).toBeGreaterThan(1);
      expect(tree.items.every((item) => item.depth === 0)).toBe(true);
    });

    it("re-importing the same name and version updates in place: same rows, nothing created twice", async () => {
      const document = catalogNamed("low-catalog");
      const first = ImportResultSchema.parse((await importBody({ format: "oscal-catalog", document })).body);
      const { rows: before } = await app.deps.db.query(
        "select id, requirement_key, updated_at from requirements where framework_id = $1 order by requirement_key",
        [first.framework.id],
      );

      const again = await importBody({ format: "oscal-catalog", document });
      document.catalog.groups[0].controls[0].title = "Policy and Procedures, revised";
      const changed = await importBody({ format: "oscal-catalog", document });

      expect(again.status).toBe(200);
      expect(ImportResultSchema.parse(again.body).counts).toMatchObject({ created: 0, updated: 0, unchanged: 149 });
      expect(again.body.framework.id).toBe(first.framework.id);
      expect(changed.body.counts).toMatchObject({ created: 0, updated: 1, unchanged: 148 });
      const { rows: after } = await app.deps.db.query(
        "select id, requirement_key, title from requirements where framework_id = $1 order by requirement_key",
        [first.framework.id],
      );
      expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
      expect(after.find((row) => row.requirement_key === "ac-1")!.title).toBe("Policy and Procedures, revised");
      const { rows: frameworks } = await app.deps.db.query("select count(*)::int as n from frameworks where id = $1", [
        first.framework.id,
      ]);
      expect(frameworks[0].n).toBe(1);
    });

    it("dryRun=true previews counts, the first 20 rows as stored and no problems, and stores nothing", async () => {
      const document = catalogNamed("low-catalog");

      const response = await importBody({ format: "oscal-catalog", document }, "?dryRun=true");

      expect(response.status).toBe(200);
      const preview = ImportPreviewSchema.parse(response.body);
      expect(preview).toMatchObject({ canImport: true, problems: [], framework: { existingFrameworkId: null } });
      expect(preview.counts).toMatchObject({ requirements: 149, created: 149 });
      expect(preview.firstRequirements).toHaveLength(20);
      expect(preview.firstRequirements[0]).toMatchObject({ key: "ac-1", label: "AC-1", groupId: "ac" });
      const { rows } = await app.deps.db.query("select count(*)::int as n from frameworks where name = $1", [
        document.catalog.metadata.title,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it("refuses invalid OSCAL with 422 listing each schema error by JSON path: missing uuid, bad token, wrong type", async () => {
      const document = catalogNamed("basic-catalog");
      delete document.catalog.uuid;
      document.catalog.groups[1].groups[0].controls[0].id = "not a token!";
      document.catalog.metadata.version = 7;

      const response = await importBody({ format: "oscal-catalog", document }, "?dryRun=true");

      expectProblem(response, 422, "oscal_invalid");
      const paths = response.body.errors.map((error: { path: string }) => error.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          "$.catalog.uuid",
          "$.catalog.groups[1].groups[0].controls[0].id",
          "$.catalog.metadata.version",
        ]),
      );
    });

    it("accepts documents written as OSCAL 1.0.x and refuses other versions with a clear problem", async () => {
      const older = catalogNamed("basic-catalog");
      older.catalog.metadata["oscal-version"] = "1.0.4";
      const newer = catalogNamed("basic-catalog");
      newer.catalog.metadata["oscal-version"] = "2.0.0";

      const accepted = await importBody({ format: "oscal-catalog", document: older });
      const refused = await importBody({ format: "oscal-catalog", document: newer });

      expect(accepted.status).toBe(201);
      expectProblem(refused, 422, "oscal_version_unsupported");
      expect(refused.body.detail).toContain("2.0.0");
    });

    it("needs DEVELOPER to import", async () => {
      const response = await request(app, "POST", "/api/v1/frameworks/import", {
        token: reader.token,
        body: { format: "oscal-catalog", document: loadOscal("basic-catalog") },
      });
      expectProblem(response, 403, "forbidden");
    });
  });

  describe("OSCAL profiles", () => {
    it("resolving the LOW profile against the LOW catalog gives the resolved catalog's requirement ids", async () => {
      const catalog = catalogNamed("low-catalog");
      const base = ImportResultSchema.parse((await importBody({ format: "oscal-catalog", document: catalog })).body);
      const profile = loadOscal("low-profile");
      profile.profile.metadata.title = `LOW profile ${uniqueSuffix()}`;

      const response = await importBody({ format: "oscal-profile", document: profile, frameworkId: base.framework.id });

      expect(response.status).toBe(201);
      const result = ImportResultSchema.parse(response.body);
      expect(result.framework).toMatchObject({ source: "oscal-profile", resolvedFromId: base.framework.id });
      expect(await storedKeys(result.framework.id)).toEqual(controlIdsOf(loadOscal("low-catalog")));
      expect(result.counts).toMatchObject({ requirements: 149, groups: 18, children: 18 });
    });

    it("selects with-ids, excludes, applies set-parameters, and leaves out unselected groups", async () => {
      const base = ImportResultSchema.parse(
        (await importBody({ format: "oscal-catalog", document: catalogNamed("low-catalog") })).body,
      );
      const profile = loadOscal("low-profile");
      profile.profile.metadata.title = `Access subset ${uniqueSuffix()}`;
      profile.profile.imports = [
        {
          href: profile.profile.imports[0].href,
          "include-controls": [
            { "with-ids": ["ac-1", "ia-2"], "with-child-controls": "yes" },
            { "with-ids": ["at-2"] },
          ],
          "exclude-controls": [{ "with-ids": ["ac-1"] }],
        },
      ];
      profile.profile.modify = { "set-parameters": [{ "param-id": "at-02_odp.01", values: ["annually"] }] };

      const response = await importBody({ format: "oscal-profile", document: profile, frameworkId: base.framework.id });

      expect(response.status).toBe(201);
      const result = ImportResultSchema.parse(response.body);
      expect(await storedKeys(result.framework.id)).toEqual(["at-2", "ia-2", "ia-2.1", "ia-2.2", "ia-2.8", "ia-2.12"]);
      expect(result.counts.groups).toBe(2);
      const { rows } = await app.deps.db.query(
        "select params from requirements where framework_id = $1 and requirement_key = 'at-2'",
        [result.framework.id],
      );
      expect(rows[0].params.find((param: { id: string }) => param.id === "at-02_odp.01").values).toEqual(["annually"]);
    });

    it("refuses what it does not resolve (alters, matching) with profile_unsupported naming each part", async () => {
      const base = ImportResultSchema.parse(
        (await importBody({ format: "oscal-catalog", document: catalogNamed("basic-catalog") })).body,
      );
      const profile = loadOscal("low-profile");
      profile.profile.imports = [{ href: "#x", "include-controls": [{ matching: [{ pattern: "s1.*" }] }] }];
      profile.profile.modify = {
        alters: [{ "control-id": "s1.1.1", adds: [{ position: "ending", props: [{ name: "a", value: "b" }] }] }],
      };

      const preview = await importBody(
        { format: "oscal-profile", document: profile, frameworkId: base.framework.id },
        "?dryRun=true",
      );
      const refused = await importBody({ format: "oscal-profile", document: profile, frameworkId: base.framework.id });

      expect(ImportPreviewSchema.parse(preview.body).canImport).toBe(false);
      expectProblem(refused, 422, "profile_unsupported");
      expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual([
        "$.profile.modify.alters[0]",
        '$.profile.imports[0]["include-controls[0]"].matching',
      ]);
    });
  });

  describe("spreadsheets", () => {
    const GOOD_CSV = [
      "Ref;Name;Text;Domain",
      "CC1.1;Integrity;COSO 1;Control environment",
      "CC8.1;Change;Changes are authorised;Change management",
    ].join("\n");
    const COLUMNS = { id: "Ref", title: "Name", description: "Text", group: "Domain" };

    it("imports CSV with a column mapping, groups from the group column", async () => {
      const name = `SOC 2 ${uniqueSuffix()}`;

      const response = await importBody({ format: "csv", name, version: "2017", content: GOOD_CSV, columns: COLUMNS });

      expect(response.status).toBe(201);
      const result = ImportResultSchema.parse(response.body);
      expect(result.counts).toMatchObject({ requirements: 2, groups: 2 });
      expect(result.framework).toMatchObject({ name, version: "2017", source: "csv", oscalVersion: null });
      const { rows } = await app.deps.db.query(
        "select requirement_key, title, statement, group_key from requirements where framework_id = $1 order by position",
        [result.framework.id],
      );
      expect(rows).toEqual([
        { requirement_key: "CC1.1", title: "Integrity", statement: "COSO 1", group_key: "Control environment" },
        {
          requirement_key: "CC8.1",
          title: "Change",
          statement: "Changes are authorised",
          group_key: "Change management",
        },
      ]);
    });

    it("lists CSV rows with a missing or duplicate id by row number and refuses to store them", async () => {
      const content = [
        "id,title,description",
        "A.1,First,x",
        ",No id,y",
        "A.1,Again,z",
        'A.2,"Quoted, with comma",w',
      ].join("\r\n");
      const body = { format: "csv", name: `Sheet ${uniqueSuffix()}`, version: "1", content };

      const preview = ImportPreviewSchema.parse((await importBody(body, "?dryRun=true")).body);
      const refused = await importBody(body);

      expect(preview.canImport).toBe(false);
      expect(preview.problems.map((problem) => [problem.code, problem.row, problem.column])).toEqual([
        ["missing_id", 3, "id"],
        ["duplicate_id", 4, "id"],
      ]);
      expect(preview.firstRequirements.map((row) => [row.key, row.title])).toEqual([
        ["A.1", "First"],
        ["A.2", "Quoted, with comma"],
      ]);
      expectProblem(refused, 422, "import_invalid");
      expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual([
        "row 3, column id",
        "row 4, column id",
      ]);
      const { rows } = await app.deps.db.query("select count(*)::int as n from frameworks where name = $1", [
        body.name,
      ]);
      expect(rows[0].n).toBe(0);
    });

    async function workbook(rows: string[][]): Promise<string> {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet("Controls");
      rows.forEach((row) => sheet.addRow(row));
      return Buffer.from(await book.xlsx.writeBuffer()).toString("base64");
    }

    it("reads XLSX with exceljs: bad rows listed by the sheet's row numbers, a good sheet imported", async () => {
      const bad = await workbook([
        ["id", "title", "parent"],
        ["5.1", "Policies", ""],
        ["", "Missing", ""],
        ["5.1", "Twice", ""],
        ["5.1.a", "Child", "9.9"],
      ]);
      const good = await workbook([
        ["id", "title", "parent"],
        ["5.1", "Policies", ""],
        ["5.1.a", "Child", "5.1"],
      ]);
      const columns = { parent: "parent" };
      const name = `ISO ${uniqueSuffix()}`;

      const preview = ImportPreviewSchema.parse(
        (await importBody({ format: "xlsx", name, version: "2022", contentBase64: bad, columns }, "?dryRun=true")).body,
      );
      const stored = await importBody({ format: "xlsx", name, version: "2022", contentBase64: good, columns });

      expect(preview.problems.map((problem) => [problem.code, problem.row])).toEqual([
        ["missing_id", 3],
        ["duplicate_id", 4],
        ["unknown_parent", 5],
      ]);
      expect(stored.status).toBe(201);
      const { rows } = await app.deps.db.query(
        "select requirement_key, parent_key, depth from requirements where framework_id = $1 order by position",
        [stored.body.framework.id],
      );
      expect(rows).toEqual([
        { requirement_key: "5.1", parent_key: null, depth: 0 },
        { requirement_key: "5.1.a", parent_key: "5.1", depth: 1 },
      ]);
    });

    it("answers 422 for a file that is not a workbook", async () => {
      const response = await importBody({
        format: "xlsx",
        name: `Bad ${uniqueSuffix()}`,
        version: "1",
        contentBase64: Buffer.from("not a zip").toString("base64"),
      });
      expectProblem(response, 422, "import_invalid");
    });
  });
});
