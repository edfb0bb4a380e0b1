import type { ScannerResultOutcome } from "@status/shared";
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

/** OCSF `status_code` as Prowler writes it; MANUAL checks need a person, so they say nothing either way. */
const OUTCOMES: Record<string, ScannerResultOutcome> = { PASS: "pass", FAIL: "fail", MANUAL: "skip", MUTED: "skip" };

/**
 * OCSF Detection Findings (class 2004) as Prowler writes them: a JSON array of findings. The rule id is the check
 * (`metadata.event_code`, else `finding_info.uid`); the resource its first resource's uid or name.
 */
export function parseOcsf(source: string): ScannerReport {
  const parsed = parseJson("OCSF", source);
  const findings = Array.isArray(parsed) ? parsed : isRecord(parsed) ? [parsed] : undefined;
  if (!findings) throw formatInvalid("OCSF", "expected an array of Detection Findings");
  assertResultCount(findings.length);
  let tool: string | null = null;
  const results = findings.map((finding, index) => {
    if (!isRecord(finding)) throw formatInvalid("OCSF", `finding ${index + 1} is not an object`);
    const ruleId = text(field(finding, "metadata", "event_code")) ?? text(field(finding, "finding_info", "uid"));
    if (!ruleId)
      throw formatInvalid("OCSF", `finding ${index + 1} has neither metadata.event_code nor finding_info.uid`);
    const statusCode = text(finding.status_code)?.toUpperCase();
    if (!statusCode) throw formatInvalid("OCSF", `finding ${index + 1} (${ruleId}) has no status_code`);
    tool ??= text(field(finding, "metadata", "product", "name")) ?? null;
    const resources = Array.isArray(finding.resources) ? (finding.resources as unknown[]) : [];
    const resource = resources[0];
    return result({
      ruleId,
      title: text(field(finding, "finding_info", "title")) ?? ruleId,
      result: OUTCOMES[statusCode] ?? "error",
      resource: text(field(resource, "uid")) ?? text(field(resource, "name")),
      message: text(finding.status_detail) ?? text(field(finding, "finding_info", "desc")),
      details: {
        statusCode,
        severity: text(finding.severity) ?? null,
        region: text(field(resource, "region")) ?? null,
        findingUid: text(field(finding, "finding_info", "uid")) ?? null,
      },
    });
  });
  return { tool, results };
}
