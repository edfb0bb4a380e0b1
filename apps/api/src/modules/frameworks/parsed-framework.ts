import type { FrameworkSource, ImportProblem, RequirementDraft } from "@status/shared";

/** A group as an import found it; `oscal` keeps the OSCAL group (without controls and subgroups) for export. */
export interface ParsedGroup {
  key: string;
  title: string;
  parentKey: string | null;
  position: number;
  oscal: Record<string, unknown> | null;
}

/** A requirement as it will be stored; `oscal` keeps the OSCAL control (without its children) for export. */
export interface ParsedRequirement extends RequirementDraft {
  depth: number;
  oscal: Record<string, unknown> | null;
}

/** What any import format reads into: the framework's identity, its groups and requirements, and every problem. */
export interface ParsedFramework {
  name: string;
  version: string;
  description: string;
  source: FrameworkSource;
  oscalVersion: string | null;
  sourceUuid: string | null;
  metadata: Record<string, unknown> | null;
  resolvedFromId: string | null;
  groups: ParsedGroup[];
  requirements: ParsedRequirement[];
  problems: ImportProblem[];
}

/** A problem that stops an import, located by JSON path. */
export function pathProblem(code: string, message: string, path: string): ImportProblem {
  return { severity: "error", code, message, path, row: null, column: null };
}

/** A problem that stops an import, located by the sheet's row (the header is row 1) and column. */
export function rowProblem(code: string, message: string, row: number, column: string | null): ImportProblem {
  return { severity: "error", code, message, path: null, row, column };
}

export function hasErrors(problems: readonly ImportProblem[]): boolean {
  return problems.some((problem) => problem.severity === "error");
}
