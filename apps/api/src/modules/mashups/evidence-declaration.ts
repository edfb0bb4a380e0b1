import {
  EVIDENCE_DECLARATION_VARIABLE,
  EvidenceDeclarationsSchema,
  type EvidenceDeclaration,
  type MashupInput,
  type ProblemIssue,
} from "@status/shared";

/** A mashup's evidence declaration as read from its tab: the declarations, or every reason it was refused. */
export interface ReadDeclaration {
  evidence: EvidenceDeclaration[];
  issues: ProblemIssue[];
}

/**
 * Reads and validates the tab's STATUS_EVIDENCE variable (JSON): the shape with zod, and that every `param` names
 * one of the mashup's inputs. A declaration with any issue is refused whole, so no half-read rule is ever shown.
 */
export function readEvidenceDeclaration(
  variable: { type?: string; value?: unknown } | undefined,
  inputs: readonly MashupInput[],
): ReadDeclaration {
  if (!variable) return { evidence: [], issues: [] };
  const parsed = parseJson(variable.value);
  if (!parsed.ok) return { evidence: [], issues: [{ path: EVIDENCE_DECLARATION_VARIABLE, message: "Not valid JSON" }] };
  const result = EvidenceDeclarationsSchema.safeParse(parsed.value);
  if (!result.success) {
    return {
      evidence: [],
      issues: result.error.issues.map((issue) => ({
        path: [EVIDENCE_DECLARATION_VARIABLE, ...issue.path].join("."),
        message: issue.message,
      })),
    };
  }
  const names = new Set(inputs.map((input) => input.name));
  const issues = result.data.flatMap((declaration, index) =>
    declaration.rule?.param === undefined || names.has(declaration.rule.param)
      ? []
      : [
          {
            path: `${EVIDENCE_DECLARATION_VARIABLE}.${index}.rule.param`,
            message: `The mashup has no input named ${declaration.rule.param}`,
          },
        ],
  );
  return issues.length > 0 ? { evidence: [], issues } : { evidence: result.data, issues: [] };
}

/** Node-RED keeps a JSON variable as its text; an imported flow may carry the parsed value. */
function parseJson(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== "string") return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}
