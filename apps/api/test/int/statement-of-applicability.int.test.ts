import ExcelJS from "exceljs";
import { StatementOfApplicabilitySchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditedCatalog, type AuditedCatalog } from "../auditor-fixtures.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** The Statement of Applicability: decisions per requirement (audited), mapped controls and their state, as files. */
describe("Statement of Applicability", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;
  let audited: AuditedCatalog;
  let requirementId: string;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    audited = await createAuditedCatalog(app, developer.token);
    const { rows } = await app.deps.db.query<{ id: string }>(
      "select id from requirements where framework_id = $1 and requirement_key = 'CC6.1'",
      [audited.framework.id],
    );
    requirementId = rows[0]!.id;
  });
  afterAll(() => app?.close());

  it("lists each requirement as applicable until decided, with its mapped control's state and last evaluation", async () => {
    const response = await request(
      app,
      "GET",
      `/api/v1/frameworks/${audited.framework.id}/statement-of-applicability`,
      {
        token: reader.token,
      },
    );
    const statement = StatementOfApplicabilitySchema.parse(response.body);
    expect(statement.rows).toHaveLength(1);
    const [row] = statement.rows;
    expect(row).toMatchObject({ requirementKey: "CC6.1", isApplicable: true, justification: null });
    expect(row!.controls).toEqual([
      expect.objectContaining({ controlId: audited.passing.id, state: "pass", relationship: "equivalent-to" }),
    ]);
    expect(row!.controls[0]!.lastEvaluatedAt).not.toBeNull();
  });

  it("records a decision with its justification, audited with before and after; readers may not decide", async () => {
    expectProblem(
      await request(app, "PUT", `/api/v1/requirements/${requirementId}/applicability`, {
        token: reader.token,
        body: { isApplicable: false, justification: "No" },
      }),
      403,
      "forbidden",
    );
    const first = await request(app, "PUT", `/api/v1/requirements/${requirementId}/applicability`, {
      token: developer.token,
      body: { isApplicable: false, justification: "No logical access in scope" },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ isApplicable: false, justification: "No logical access in scope" });
    await request(app, "PUT", `/api/v1/requirements/${requirementId}/applicability`, {
      token: developer.token,
      body: { isApplicable: true, justification: "Back in scope after the 2026 review" },
    });
    const { rows } = await app.deps.db.query<{ action: string; before: unknown; after: unknown }>(
      `select action, before, after from audit_log where resource_type = 'requirement_applicability' and resource_id = $1 order by at`,
      [requirementId],
    );
    expect(rows.map((row) => row.action)).toEqual(["create", "update"]);
    expect(rows[1]!.before).toEqual({ isApplicable: false, justification: "No logical access in scope" });
    expectProblem(
      await request(app, "PUT", `/api/v1/requirements/${requirementId}/applicability`, {
        token: developer.token,
        body: { isApplicable: true, justification: "  " },
      }),
      400,
      "validation_failed",
    );
  });

  it("exports XLSX with a frozen header, filters and widths, read back with exceljs", async () => {
    const response = await fetch(
      `${app.baseUrl}/api/v1/frameworks/${audited.framework.id}/statement-of-applicability?format=xlsx`,
      { headers: { authorization: `Bearer ${reader.token}` } },
    );
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(2).width).toBe(40);
    expect(sheet.getRow(1).getCell(1).value).toBe("Requirement");
    expect(sheet.getRow(2).getCell(1).value).toBe("CC6.1");
    expect(sheet.getRow(2).getCell(4).value).toBe("yes");
    expect(sheet.getRow(2).getCell(6).text).toContain(audited.passing.name);
  });

  it("exports CSV, and answers 404 for an unknown framework", async () => {
    const csv = await request(
      app,
      "GET",
      `/api/v1/frameworks/${audited.framework.id}/statement-of-applicability?format=csv`,
      {
        token: reader.token,
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.text.split(/\r?\n/)[0]).toBe(
      "Requirement,Title,Group,Applicable,Justification,Mapped controls,Current state,Last evaluation",
    );
    expectProblem(
      await request(app, "GET", "/api/v1/frameworks/00000000-0000-4000-8000-000000000000/statement-of-applicability", {
        token: reader.token,
      }),
      404,
      "not_found",
    );
  });
});
