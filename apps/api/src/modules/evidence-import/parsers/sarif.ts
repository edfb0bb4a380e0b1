import type { ScannerResult, ScannerResultOutcome } from "@status/shared";
import {
  assertResultCount,
  field,
  formatInvalid,
  isRecord,
  parseJson,
  result,
  text,
  type ScannerReport,
} from "./scanner-report.ts";

/**
 * SARIF `kind` (§3.27.9): `pass` and `fail` say it; `notApplicable` and `informational` say nothing either way;
 * `open` (the tool could not decide) and `review` (a person must) are not a pass, so they count against as errors.
 */
const OUTCOMES: Record<string, ScannerResultOutcome> = {
  pass: "pass",
  fail: "fail",
  notApplicable: "skip",
  informational: "skip",
  open: "error",
  review: "error",
};

/** A result's kind: given, or `fail` by default (§3.27.9: absent kind with any level, or with none, is a failure). */
function kindOf(entry: Record<string, unknown>): string {
  return text(entry.kind) ?? "fail";
}

function locationOf(entry: Record<string, unknown>): string | undefined {
  const locations = Array.isArray(entry.locations) ? (entry.locations as unknown[]) : [];
  const physical = field(locations[0], "physicalLocation");
  const uri = text(field(physical, "artifactLocation", "uri"));
  if (!uri) {
    const logical = field(locations[0], "logicalLocations");
    return Array.isArray(logical) ? text(field(logical[0], "fullyQualifiedName")) : undefined;
  }
  const line = field(physical, "region", "startLine");
  return typeof line === "number" ? `${uri}:${line}` : uri;
}

/**
 * SARIF 2.1.0: every result of every run, its rule id `ruleId` (or `rule.id`, or the driver's rule at `ruleIndex`),
 * its title the rule's short description or name.
 */
export function parseSarif(source: string): ScannerReport {
  const log = parseJson("SARIF", source);
  if (!isRecord(log) || !Array.isArray(log.runs)) throw formatInvalid("SARIF", "expected a SARIF log with runs[]");
  if (log.version !== "2.1.0") throw formatInvalid("SARIF", `version ${String(log.version)} is not 2.1.0`);
  const results: ScannerResult[] = [];
  let tool: string | null = null;
  for (const [runIndex, run] of (log.runs as unknown[]).entries()) {
    if (!isRecord(run)) throw formatInvalid("SARIF", `run ${runIndex + 1} is not an object`);
    const driver = field(run, "tool", "driver");
    tool ??= text(field(driver, "name")) ?? null;
    const rules = Array.isArray(field(driver, "rules")) ? (field(driver, "rules") as unknown[]) : [];
    const entries = Array.isArray(run.results) ? (run.results as unknown[]) : [];
    assertResultCount(results.length + entries.length);
    for (const [index, entry] of entries.entries()) {
      if (!isRecord(entry)) throw formatInvalid("SARIF", `result ${index + 1} of run ${runIndex + 1} is not an object`);
      const ruleIndex = entry.ruleIndex ?? field(entry, "rule", "index");
      const rule = typeof ruleIndex === "number" ? rules[ruleIndex] : undefined;
      const ruleId = text(entry.ruleId) ?? text(field(entry, "rule", "id")) ?? text(field(rule, "id"));
      if (!ruleId) throw formatInvalid("SARIF", `result ${index + 1} of run ${runIndex + 1} names no rule`);
      const describedRule = rule ?? rules.find((candidate) => field(candidate, "id") === ruleId);
      const kind = kindOf(entry);
      results.push(
        result({
          ruleId,
          title: text(field(describedRule, "shortDescription", "text")) ?? text(field(describedRule, "name")) ?? ruleId,
          result: OUTCOMES[kind] ?? "error",
          resource: locationOf(entry),
          message: text(field(entry, "message", "text")),
          details: {
            kind,
            level: text(entry.level) ?? (kind === "fail" ? "warning" : "none"),
            tool: text(field(driver, "name")) ?? null,
          },
        }),
      );
    }
  }
  return { tool, results };
}
