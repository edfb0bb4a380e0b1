import { overallCompliance } from "./oscal-documents.ts";
import { complianceOf, type FindingPoint, type FindingSummary, type PeriodData } from "./period-assessment.ts";

/** What the report's appendix states about the chains, and the key the pack is signed with. */
export interface ReportAppendix {
  chainLines: string[];
  isChainIntact: boolean;
  publicKeyPem: string;
  keyId: string;
}

const MAX_LISTED_FAILURES = 40;
const COLORS: Record<string, string> = { pass: "#1a7f37", fail: "#cf222e", not_applicable: "#8c959f" };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const day = (instant: string) => instant.slice(0, 10);
const percent = (value: number | null) => (value === null ? "n/a" : `${value}%`);
const scopeOf = (finding: FindingSummary) => (finding.scopeKey ? ` (${finding.scopeKey})` : "");

/** One colour cell per window: the period's result strip, as SVG. */
function stripSvg(points: FindingPoint[]): string {
  const width = Math.max(1, Math.min(6, Math.floor(600 / Math.max(points.length, 1))));
  const cells = points
    .map(
      (point, index) =>
        `<rect x="${index * width}" y="0" width="${width}" height="16" fill="${COLORS[point.result]}"/>`,
    )
    .join("");
  return `<svg role="img" aria-label="Result per window" width="${Math.max(points.length * width, 1)}" height="16">${cells}</svg>`;
}

const describeValue = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));

/**
 * The control's versions in force during the period, one line each: number, from when, recorded when and by whom,
 * why, and what changed from the version before (period, threshold, mashup, parameters, scope sets).
 */
export function versionHistoryLines(data: PeriodData, controlId: string): string[] {
  return (data.versions.get(controlId) ?? []).map((version) => {
    const changes = version.changes
      .map((change) => `${change.field} ${describeValue(change.before)} -> ${describeValue(change.after)}`)
      .join("; ");
    const from = version.effectiveFrom
      ? `in force from ${day(version.effectiveFrom)}`
      : "in force from the first window";
    const until = version.effectiveUntil ? ` until ${day(version.effectiveUntil)}` : "";
    return (
      `Version ${version.version}, ${from}${until}; recorded ${version.createdAt.slice(0, 16).replace("T", " ")} UTC by ` +
      `${version.createdByName ?? "the system"}: ${version.reason}. ${changes ? `Changed: ${changes}.` : "No version before it."}`
    );
  });
}

function failedWindows(finding: FindingSummary): string[] {
  return finding.points.filter((point) => point.result === "fail").map((point) => day(point.windowStart));
}

function versionsHtml(lines: string[]): string {
  if (lines.length === 0) return "<p>No version: the control was not finalized during the period.</p>";
  return `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`;
}

/** The period report as a standalone HTML page (inline SVG charts, no script, no external resource). */
export function renderReportHtml(data: PeriodData, findings: FindingSummary[], appendix: ReportAppendix): string {
  return [...reportHtmlParts(data, findings, appendix)].join("");
}

/**
 * The HTML report piece by piece (head, one section per finding, appendix): a pack writes a year of many controls
 * without holding the whole page as one string.
 */
export function* reportHtmlParts(
  data: PeriodData,
  findings: FindingSummary[],
  appendix: ReportAppendix,
): Generator<string> {
  yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.catalog.name)}: period report</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ccc}pre{white-space:pre-wrap}</style></head>
<body><header><h1>${escapeHtml(data.catalog.name)}</h1>
<p>Period: ${day(data.from)} to ${day(data.to)} (windows starting in [${data.from}, ${data.to})). Generated ${data.generatedAt}.</p>
<p>Overall compliance: <strong>${percent(overallCompliance(findings))}</strong> over ${findings.length} control(s) and scope(s).</p></header>
`;
  for (const [index, finding] of findings.entries()) {
    const failed = failedWindows(finding);
    const exceptions = finding.exceptions
      .map(({ pointId, exception }) => `<li>${escapeHtml(pointId)}: ${escapeHtml(exception.justification)}</li>`)
      .join("");
    const requirements = finding.requirements
      .map((mapping) => escapeHtml(`${mapping.frameworkName} ${mapping.requirementKey}`))
      .join(", ");
    yield `<section><h2>${escapeHtml(finding.control.name + scopeOf(finding))}</h2>
<p>State: <strong>${finding.state}</strong>. Compliance over the period: ${percent(complianceOf(finding))}
(${finding.passCount} passed, ${finding.failCount} failed, ${finding.notApplicableCount} not applicable).</p>
<p>Rule: threshold ${finding.control.threshold}% of applicable evidences passing, control version ${finding.control.version ?? "n/a"}.
${requirements ? `Mapped to ${requirements}.` : ""}</p>
${stripSvg(finding.points)}
<p>Windows failed: ${failed.length === 0 ? "none" : escapeHtml(failed.slice(0, MAX_LISTED_FAILURES).join(", "))}${failed.length > MAX_LISTED_FAILURES ? ` and ${failed.length - MAX_LISTED_FAILURES} more` : ""}</p>
<p>Exceptions: ${exceptions ? `</p><ul>${exceptions}</ul>` : "none</p>"}
<h3>Version history in the period</h3>${versionsHtml(versionHistoryLines(data, finding.control.id))}
</section>${index + 1 < findings.length ? "\n" : ""}`;
  }
  yield `
<section><h2>Appendix: chain verification</h2><p>${appendix.isChainIntact ? "Every point's hash was recomputed and matches." : "The chain is broken."}</p>
<ul>${appendix.chainLines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>
<h3>Signing key (Ed25519, id ${appendix.keyId})</h3><pre>${escapeHtml(appendix.publicKeyPem)}</pre></section>
</body></html>`;
}

/** The period report as a PDF (pdfkit, drawn in this process), streamed to `output`. */
export async function renderReportPdf(
  data: PeriodData,
  findings: FindingSummary[],
  appendix: ReportAppendix,
  output: NodeJS.WritableStream,
): Promise<void> {
  // Loaded on first use: pdfkit (and its fonts) cost every process ~15 MiB of memory, and only PDF reports need it.
  const { default: PDFDocument } = await import("pdfkit");
  const pdf = new PDFDocument({ size: "A4", margin: 50, info: { Title: `${data.catalog.name}: period report` } });
  const done = new Promise<void>((resolve, reject) => {
    output.on("finish", () => resolve());
    output.on("error", reject);
  });
  pdf.pipe(output);
  pdf.fontSize(22).text(data.catalog.name);
  pdf
    .moveDown()
    .fontSize(12)
    .text(`Period: ${day(data.from)} to ${day(data.to)}`);
  pdf.text(`Overall compliance: ${percent(overallCompliance(findings))}`);
  pdf.text(`Generated: ${data.generatedAt}`);
  for (const finding of findings) {
    pdf
      .addPage()
      .fontSize(16)
      .text(finding.control.name + scopeOf(finding));
    pdf.moveDown(0.5).fontSize(11);
    pdf.text(`State: ${finding.state}. Compliance: ${percent(complianceOf(finding))}`);
    pdf.text(`${finding.passCount} passed, ${finding.failCount} failed, ${finding.notApplicableCount} not applicable`);
    pdf.text(`Rule: threshold ${finding.control.threshold}%, control version ${finding.control.version ?? "n/a"}`);
    drawStrip(pdf, finding.points);
    const failed = failedWindows(finding);
    pdf.text(`Windows failed: ${failed.length === 0 ? "none" : failed.slice(0, MAX_LISTED_FAILURES).join(", ")}`);
    pdf.text(`Exceptions: ${finding.exceptions.length === 0 ? "none" : ""}`);
    for (const { pointId, exception } of finding.exceptions) pdf.text(`- ${pointId}: ${exception.justification}`);
    const versions = versionHistoryLines(data, finding.control.id);
    pdf.moveDown(0.5).text("Version history in the period:");
    if (versions.length === 0) pdf.text("No version: the control was not finalized during the period.");
    for (const line of versions) pdf.text(`- ${line}`);
  }
  pdf.addPage().fontSize(16).text("Appendix: chain verification");
  pdf.fontSize(10).moveDown(0.5);
  pdf.text(appendix.isChainIntact ? "Every point's hash was recomputed and matches." : "The chain is broken.");
  for (const line of appendix.chainLines) pdf.text(line);
  pdf.moveDown().fontSize(12).text(`Signing key (Ed25519, id ${appendix.keyId})`);
  pdf.fontSize(9).font("Courier").text(appendix.publicKeyPem);
  pdf.end();
  return done;
}

function drawStrip(pdf: PDFKit.PDFDocument, points: FindingPoint[]): void {
  const width = Math.max(0.5, Math.min(6, 495 / Math.max(points.length, 1)));
  const top = pdf.y + 6;
  points.forEach((point, index) => {
    pdf.rect(50 + index * width, top, width, 14).fill(COLORS[point.result] ?? "#000000");
  });
  pdf.fillColor("#000000");
  pdf.y = top + 22;
  pdf.x = 50;
}
