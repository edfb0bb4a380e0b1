/** What the doctor found: `error` keeps STATUS from working, `warning` should be looked at, `ok` passed. */
export type Severity = "error" | "warning" | "ok";

export interface Finding {
  severity: Severity;
  /** What it is about: a variable, a service, a dependency. */
  subject: string;
  message: string;
  /** What to do about it. */
  fix?: string;
}

const MARKS: Record<Severity, string> = { error: "✗", warning: "!", ok: "✓" };

/** The findings as the terminal shows them, errors first, with what to fix under each. */
export function formatFindings(title: string, findings: Finding[]): string {
  const order: Severity[] = ["error", "warning", "ok"];
  const sorted = [...findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const lines = [title];
  for (const finding of sorted) {
    lines.push(`  ${MARKS[finding.severity]} ${finding.subject}: ${finding.message}`);
    if (finding.fix) lines.push(`      fix: ${finding.fix}`);
  }
  const errors = findings.filter((finding) => finding.severity === "error").length;
  const warnings = findings.filter((finding) => finding.severity === "warning").length;
  lines.push(`  ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
  return lines.join("\n");
}

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((finding) => finding.severity === "error");
}
