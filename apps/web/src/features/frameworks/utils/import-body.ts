import { ImportFrameworkBodySchema, type ImportFrameworkBody } from "@status/shared";
import { formErrorMap } from "@/lib/form-errors.ts";
import type { ImportFile, MappingField } from "./import-file.ts";

/** What the user typed besides the file: a sheet's name and columns, or the framework a profile resolves against. */
export interface ImportDetails {
  name: string;
  version: string;
  description: string;
  sheet: string;
  columns: Partial<Record<MappingField, string>>;
  frameworkId: string;
}

export const EMPTY_DETAILS: ImportDetails = {
  name: "",
  version: "",
  description: "",
  sheet: "",
  columns: {},
  frameworkId: "",
};

function chosenColumns(columns: ImportDetails["columns"]): Partial<Record<MappingField, string>> {
  const chosen: Partial<Record<MappingField, string>> = {};
  for (const [field, column] of Object.entries(columns) as [MappingField, string | undefined][]) {
    if (column?.trim()) chosen[field] = column.trim();
  }
  return chosen;
}

function rawBody(file: ImportFile, details: ImportDetails): Record<string, unknown> {
  if (file.kind === "oscal-catalog") return { format: file.kind, document: file.document };
  if (file.kind === "oscal-profile")
    return { format: file.kind, document: file.document, frameworkId: details.frameworkId };
  const sheet = {
    name: details.name,
    version: details.version,
    description: details.description,
    columns: chosenColumns(details.columns),
  };
  if (file.kind === "csv") return { format: "csv", ...sheet, content: file.content };
  return {
    format: "xlsx",
    ...sheet,
    contentBase64: file.contentBase64,
    ...(details.sheet.trim() ? { sheet: details.sheet.trim() } : {}),
  };
}

/** The import body, checked with the schema the API parses; the issues name the fields to fix. */
export function buildImportBody(
  file: ImportFile,
  details: ImportDetails,
): { body: ImportFrameworkBody; issues: null } | { body: null; issues: Record<string, string> } {
  const parsed = ImportFrameworkBodySchema.safeParse(rawBody(file, details), { error: formErrorMap });
  if (parsed.success) return { body: parsed.data, issues: null };
  const issues: Record<string, string> = {};
  for (const issue of parsed.error.issues) issues[String(issue.path[0] ?? "")] ??= issue.message;
  // An unpicked framework is an empty id, which the schema words as a malformed one.
  if (file.kind === "oscal-profile" && !details.frameworkId) issues.frameworkId = "Required";
  return { body: null, issues };
}
