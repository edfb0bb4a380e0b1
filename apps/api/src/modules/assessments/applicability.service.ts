import type { SetApplicabilityBody, SoaRow, StatementOfApplicability } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import { toCsv } from "../../lib/csv.ts";
import { recordAudit } from "../audit/index.ts";
import { getRequirementsByIds, requireFramework } from "../frameworks/index.ts";
import { findApplicability, listSoaRows, upsertApplicability } from "./applicability.repository.ts";

/** A framework's Statement of Applicability: per requirement, whether it applies and why, and its controls' state. */
export async function getStatementOfApplicability(
  deps: Pick<AppDeps, "db">,
  frameworkId: string,
): Promise<StatementOfApplicability> {
  const framework = await requireFramework(deps.db, frameworkId);
  return {
    frameworkId: framework.id,
    frameworkName: framework.name,
    frameworkVersion: framework.version,
    rows: await listSoaRows(deps.db, frameworkId),
  };
}

/** Decides whether a requirement applies, with its justification; audited with the decision before and after. */
export async function setRequirementApplicability(
  deps: AppDeps,
  actor: Actor,
  input: { requirementId: string; body: SetApplicabilityBody },
): Promise<SoaRow> {
  const [requirement] = await getRequirementsByIds(deps.db, [input.requirementId]);
  if (!requirement) throw new NotFoundError("requirement", input.requirementId);
  await withTransaction(deps.db, async (tx) => {
    const before = await findApplicability(tx, input.requirementId);
    await upsertApplicability(tx, { requirementId: input.requirementId, ...input.body, updatedBy: actor.userId });
    await recordAudit(tx, actor, {
      action: before ? "update" : "create",
      resourceType: "requirement_applicability",
      resourceId: input.requirementId,
      before: before ?? null,
      after: input.body,
    });
  });
  const rows = await listSoaRows(deps.db, requirement.frameworkId);
  return rows.find((row) => row.requirementId === input.requirementId)!;
}

interface FlatRow {
  requirement: string;
  title: string;
  group: string;
  applicable: string;
  justification: string;
  controls: string;
  state: string;
  lastEvaluation: string;
}

function flatten(statement: StatementOfApplicability): FlatRow[] {
  return statement.rows.map((row) => ({
    requirement: row.requirementKey,
    title: row.title,
    group: row.groupKey ?? "",
    applicable: row.isApplicable ? "yes" : "no",
    justification: row.justification ?? "",
    controls: row.controls.map((control) => `${control.catalogName} / ${control.controlName}`).join("; "),
    state: row.controls.map((control) => control.state).join("; "),
    lastEvaluation:
      row.controls
        .map((control) => control.lastEvaluatedAt)
        .filter((at): at is string => at !== null)
        .sort()
        .at(-1) ?? "",
  }));
}

const COLUMNS: { key: keyof FlatRow; header: string; width: number }[] = [
  { key: "requirement", header: "Requirement", width: 14 },
  { key: "title", header: "Title", width: 40 },
  { key: "group", header: "Group", width: 12 },
  { key: "applicable", header: "Applicable", width: 11 },
  { key: "justification", header: "Justification", width: 50 },
  { key: "controls", header: "Mapped controls", width: 40 },
  { key: "state", header: "Current state", width: 16 },
  { key: "lastEvaluation", header: "Last evaluation", width: 24 },
];

/** The Statement of Applicability as CSV. */
export function soaCsv(statement: StatementOfApplicability): string {
  return toCsv(
    COLUMNS.map((column) => ({ header: column.header, value: (row: FlatRow) => row[column.key] })),
    flatten(statement),
  );
}

/** The Statement of Applicability as XLSX (exceljs): a frozen header row, filters on every column, set widths. */
export async function soaXlsx(statement: StatementOfApplicability): Promise<Buffer> {
  // Loaded on first use: exceljs costs every process ~25 MiB of memory, and only this export needs it.
  const { default: excel } = await import("exceljs");
  const workbook = new excel.Workbook();
  const sheet = workbook.addWorksheet("Statement of Applicability", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({ key: column.key, header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of flatten(statement)) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
