import type { ColumnMapping, FrameworkSource, ImportProblem } from "@status/shared";
import { rowProblem, type ParsedFramework, type ParsedGroup, type ParsedRequirement } from "../parsed-framework.ts";
import type { Sheet, SheetRow } from "./csv-reader.ts";

export interface SheetIdentity {
  name: string;
  version: string;
  description: string;
  source: Extract<FrameworkSource, "csv" | "xlsx">;
}

type Field = keyof ColumnMapping;
const REQUIRED_FIELDS: readonly Field[] = ["id", "title"];

/**
 * Turns a sheet into requirements through the column mapping (headers matched case-insensitively). Every bad row is
 * reported with its row number: a missing id, an id seen before, a missing title, a parent that is not in the sheet.
 */
export function readSheetFramework(sheet: Sheet, columns: ColumnMapping, identity: SheetIdentity): ParsedFramework {
  const problems: ImportProblem[] = [];
  const headerOf = resolveHeaders(sheet.headers, columns, problems);
  const requirements: ParsedRequirement[] = [];
  const groups = new Map<string, ParsedGroup>();
  if (!problems.length) {
    const rowOf = new Map<string, number>();
    for (const row of sheet.rows) {
      const requirement = requirementOf(row, headerOf, rowOf, problems, requirements.length);
      if (!requirement) continue;
      requirements.push(requirement);
      if (requirement.groupId && !groups.has(requirement.groupId))
        groups.set(requirement.groupId, groupOf(requirement.groupId, groups.size));
    }
    placeChildren(requirements, rowOf, problems);
  }
  return {
    ...identity,
    oscalVersion: null,
    sourceUuid: null,
    metadata: null,
    resolvedFromId: null,
    groups: [...groups.values()],
    requirements,
    problems,
  };
}

function groupOf(key: string, position: number): ParsedGroup {
  return { key, title: key, parentKey: null, position, oscal: null };
}

function resolveHeaders(
  headers: string[],
  columns: ColumnMapping,
  problems: ImportProblem[],
): Partial<Record<Field, string>> {
  const byLowerName = new Map(headers.map((header) => [header.toLowerCase(), header]));
  const resolved: Partial<Record<Field, string>> = {};
  for (const [field, column] of Object.entries(columns) as [Field, string | undefined][]) {
    if (!column) continue;
    const header = byLowerName.get(column.toLowerCase());
    if (header) resolved[field] = header;
    else if (REQUIRED_FIELDS.includes(field) || !isDefaultColumn(field, column))
      problems.push(rowProblem("missing_column", `No column ${column} for the requirement's ${field}`, 1, column));
  }
  return resolved;
}

/** Optional fields with their default column name may be absent from the sheet; a column named on purpose may not. */
function isDefaultColumn(field: Field, column: string): boolean {
  return (field === "description" || field === "group") && column === field;
}

function requirementOf(
  row: SheetRow,
  headerOf: Partial<Record<Field, string>>,
  firstRowOf: Map<string, number>,
  problems: ImportProblem[],
  position: number,
): ParsedRequirement | null {
  const cell = (field: Field) => (headerOf[field] ? (row.cells.get(headerOf[field]) ?? "") : "");
  const key = cell("id");
  if (!key) {
    problems.push(rowProblem("missing_id", "The row has no id", row.row, headerOf.id ?? null));
    return null;
  }
  const firstRow = firstRowOf.get(key);
  if (firstRow !== undefined) {
    problems.push(rowProblem("duplicate_id", `Id ${key} is already used on row ${firstRow}`, row.row, headerOf.id!));
    return null;
  }
  firstRowOf.set(key, row.row);
  const title = cell("title");
  if (!title) problems.push(rowProblem("missing_title", `Requirement ${key} has no title`, row.row, headerOf.title!));
  return {
    key,
    label: cell("label") || null,
    title,
    statement: cell("description"),
    guidance: cell("guidance"),
    groupId: cell("group") || null,
    parentKey: cell("parent") || null,
    className: null,
    position,
    depth: 0,
    params: [],
    oscal: null,
  };
}

/** Checks parents (named by the parent column) exist and come without cycles, then sets depths. */
function placeChildren(requirements: ParsedRequirement[], rowOf: Map<string, number>, problems: ImportProblem[]): void {
  const byKey = new Map(requirements.map((requirement) => [requirement.key, requirement]));
  for (const requirement of requirements) {
    if (requirement.parentKey === null) continue;
    const row = rowOf.get(requirement.key)!;
    if (!byKey.has(requirement.parentKey)) {
      problems.push(rowProblem("unknown_parent", `Parent ${requirement.parentKey} is not in the sheet`, row, "parent"));
      requirement.parentKey = null;
    }
  }
  for (const requirement of requirements) {
    const seen = new Set<string>([requirement.key]);
    let parent = requirement.parentKey ? byKey.get(requirement.parentKey) : undefined;
    let depth = 0;
    while (parent) {
      if (seen.has(parent.key)) {
        const message = `Requirement ${requirement.key} is its own ancestor`;
        problems.push(rowProblem("parent_cycle", message, rowOf.get(requirement.key)!, "parent"));
        requirement.parentKey = null;
        depth = 0;
        break;
      }
      seen.add(parent.key);
      depth += 1;
      parent = parent.parentKey ? byKey.get(parent.parentKey) : undefined;
    }
    requirement.depth = depth;
  }
}
