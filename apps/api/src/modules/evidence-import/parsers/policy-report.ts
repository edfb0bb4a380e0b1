import { parseAllDocuments } from "yaml";
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

/** PolicyReport results; `warn` is a policy that failed in audit mode, still a failure of the rule. */
const OUTCOMES: Record<string, ScannerResultOutcome> = {
  pass: "pass",
  fail: "fail",
  warn: "fail",
  error: "error",
  skip: "skip",
};

const REPORT_KINDS = new Set(["PolicyReport", "ClusterPolicyReport", "Report", "ClusterReport"]);

/** YAML aliases are capped so an alias bomb (YAML's billion laughs) fails instead of expanding. */
const MAX_ALIASES = 50;

function documentsOf(source: string): unknown[] {
  const trimmed = source.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return [parseJson("PolicyReport", source)];
  const documents = parseAllDocuments(source, { prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  return documents.map((document, index) => {
    const error = document.errors[0];
    if (error) throw formatInvalid("PolicyReport", `YAML document ${index + 1}: ${error.message}`);
    try {
      return document.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
    } catch (cause) {
      throw formatInvalid("PolicyReport", `YAML document ${index + 1}: ${(cause as Error).message}`);
    }
  });
}

/** Reports in a file: one report, a `kind: List` of them (`kubectl get … -o yaml`), or several YAML documents. */
function reportsOf(documents: unknown[]): Record<string, unknown>[] {
  const reports: Record<string, unknown>[] = [];
  for (const document of documents) {
    if (document === null || document === undefined) continue;
    if (Array.isArray(document)) reports.push(...reportsOf(document));
    else if (isRecord(document) && Array.isArray(document.items) && !Array.isArray(document.results))
      reports.push(...reportsOf(document.items as unknown[]));
    else if (isRecord(document) && (Array.isArray(document.results) || REPORT_KINDS.has(String(document.kind))))
      reports.push(document);
    else throw formatInvalid("PolicyReport", "expected a PolicyReport (kind PolicyReport or Report with results[])");
  }
  return reports;
}

/** `Kind namespace/name` of a report result's first resource, or of the report's scope. */
function resourceName(resource: unknown): string | undefined {
  const name = text(field(resource, "name"));
  if (!name) return undefined;
  const namespace = text(field(resource, "namespace"));
  const kind = text(field(resource, "kind"));
  return `${kind ? `${kind} ` : ""}${namespace ? `${namespace}/` : ""}${name}`;
}

/**
 * Kyverno / OpenReports PolicyReport (`wgpolicyk8s.io` or `openreports.io`), JSON or YAML: each entry of `results[]`
 * is one result, its rule id `policy/rule` (the policy alone without a rule).
 */
export function parsePolicyReport(source: string): ScannerReport {
  const reports = reportsOf(documentsOf(source));
  if (reports.length === 0) throw formatInvalid("PolicyReport", "the file holds no report");
  const results: ScannerResult[] = [];
  let tool: string | null = null;
  for (const report of reports) {
    const entries = Array.isArray(report.results) ? (report.results as unknown[]) : [];
    assertResultCount(results.length + entries.length);
    for (const [index, entry] of entries.entries()) {
      if (!isRecord(entry)) throw formatInvalid("PolicyReport", `result ${index + 1} is not an object`);
      const policy = text(entry.policy);
      if (!policy) throw formatInvalid("PolicyReport", `result ${index + 1} has no policy`);
      const rule = text(entry.rule);
      const outcome = text(entry.result)?.toLowerCase();
      if (!outcome) throw formatInvalid("PolicyReport", `result ${index + 1} (${policy}) has no result`);
      tool ??= text(entry.source) ?? null;
      const resources = Array.isArray(entry.resources) ? (entry.resources as unknown[]) : [];
      results.push(
        result({
          ruleId: rule ? `${policy}/${rule}` : policy,
          title: rule ?? policy,
          result: OUTCOMES[outcome] ?? "error",
          resource: resourceName(resources[0]) ?? resourceName(report.scope),
          message: text(entry.message),
          details: {
            result: outcome,
            severity: text(entry.severity) ?? null,
            category: text(entry.category) ?? null,
            report: text(field(report, "metadata", "name")) ?? null,
          },
        }),
      );
    }
  }
  return { tool, results };
}
