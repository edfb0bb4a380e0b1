import { evidenceDigest as digestEvidences } from "@status/verify-pack/chain-hash";
import type { ComplianceResult, EvidenceResult } from "@status/shared";
import { z } from "zod";

/** An evidence as stored: the flow's fact, its normalised result and its period. */
export interface NormalizedEvidence {
  position: number;
  key: string;
  value: unknown;
  result: EvidenceResult;
  from: string | null;
  to: string | null;
}

export type FlowResult =
  { isValid: true; value: unknown; evidences: NormalizedEvidence[] } | { isValid: false; problem: string };

const MAX_EVIDENCES = 50_000;
const RawEvidenceSchema = z.looseObject({
  key: z.unknown().optional(),
  value: z.unknown().optional(),
  result: z.unknown().optional(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
const FlowOutputSchema = z.looseObject({
  value: z.unknown().optional(),
  evidences: z.array(RawEvidenceSchema).max(MAX_EVIDENCES),
});

/** true/false from the seed's format, or the four named states; anything else is an error of that evidence. */
function normalizeResult(result: unknown): EvidenceResult {
  if (result === true) return "pass";
  if (result === false) return "fail";
  if (typeof result === "string") {
    const named = result.toLowerCase().replace(/[\s-]/g, "_");
    if (named === "pass" || named === "passed" || named === "true") return "pass";
    if (named === "fail" || named === "failed" || named === "false") return "fail";
    if (named === "not_applicable" || named === "n/a" || named === "na") return "not_applicable";
  }
  return "error";
}

/**
 * Instants already read, by their text: a flow's evidences mostly repeat their window's bounds, and parsing a date
 * string then printing it again cost more than the rest of normalising an evidence (the engine's profile). Bounded:
 * cleared when full, so a flow sending a new instant per evidence costs one parse each, as before.
 */
const instantsRead = new Map<string, string | null>();
const MAX_INSTANTS_READ = 1_000;

function normalizeInstant(value: unknown): string | null {
  if (typeof value === "number") return instantOf(value);
  if (typeof value !== "string") return null;
  const known = instantsRead.get(value);
  if (known !== undefined) return known;
  const normalized = instantOf(value);
  if (instantsRead.size >= MAX_INSTANTS_READ) instantsRead.clear();
  instantsRead.set(value, normalized);
  return normalized;
}

function instantOf(value: string | number): string | null {
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Turns raw evidence items (sync answers and bulk callbacks alike) into stored evidences. */
export function normalizeEvidences(items: z.infer<typeof RawEvidenceSchema>[], offset = 0): NormalizedEvidence[] {
  return items.map((item, index) => ({
    position: offset + index,
    key:
      typeof item.key === "string" || typeof item.key === "number"
        ? String(item.key).slice(0, 500)
        : `#${offset + index + 1}`,
    value: item.value ?? null,
    result: normalizeResult(item.result),
    from: normalizeInstant(item.from),
    to: normalizeInstant(item.to),
  }));
}

/**
 * Reads a mashup's answer `{value, evidences: [{key, value, result, from, to}]}`; says precisely what is wrong
 * otherwise.
 */
export function parseFlowResult(body: unknown): FlowResult {
  const parsed = FlowOutputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.join(".")}` : "";
    return {
      isValid: false,
      problem: `The mashup's answer is not {value, evidences[]}: ${issue.message}${where}. It answered: ${excerpt(body)}`,
    };
  }
  return { isValid: true, value: parsed.data.value ?? null, evidences: normalizeEvidences(parsed.data.evidences) };
}

export function excerpt(body: unknown, limit = 300): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return text === undefined ? "(nothing)" : text.length > limit ? `${text.slice(0, limit)}…` : text;
}

export interface Evaluation {
  counts: Record<EvidenceResult, number>;
  /** Percent of applicable evidences (pass, fail, error) that passed; null when none applies. */
  compliance: number | null;
  result: ComplianceResult;
}

/**
 * The compliance of a window: the share of passing evidences, against the threshold. Errors count against it;
 * not-applicable evidences are left out; with nothing applicable (an empty list included) the result is
 * not_applicable — never a pass.
 */
export function evaluate(evidences: readonly NormalizedEvidence[], threshold: number): Evaluation {
  const counts: Record<EvidenceResult, number> = { pass: 0, fail: 0, error: 0, not_applicable: 0 };
  for (const evidence of evidences) counts[evidence.result] += 1;
  const applicable = counts.pass + counts.fail + counts.error;
  if (applicable === 0) return { counts, compliance: null, result: "not_applicable" };
  const compliance = Math.round((counts.pass / applicable) * 100_000) / 1000;
  return { counts, compliance, result: compliance >= threshold ? "pass" : "fail" };
}

/** The digest of a computation's evidences, carried into its point so edited evidence breaks the chain too. */
export function evidenceDigest(evidences: readonly NormalizedEvidence[]): string {
  return digestEvidences(evidences);
}
