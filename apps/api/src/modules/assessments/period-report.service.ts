import type { PeriodReportQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { verifyPointChain } from "../points/index.ts";
import { assessCatalogPeriod } from "./assessments.service.ts";
import { renderReportHtml, renderReportPdf, type ReportAppendix } from "./period-report.ts";
import { loadPackSigningKey } from "./signing-key.ts";

/**
 * Renders a catalog's period report into `output` (a PDF, or HTML): the same report an evidence pack carries, with the
 * chains verified now by the points module (every control's whole chain) in its appendix.
 */
export async function writePeriodReport(
  deps: AppDeps,
  input: { catalogId: string; query: PeriodReportQuery; output: NodeJS.WritableStream; onReady: () => void },
): Promise<void> {
  const { data, findings } = await assessCatalogPeriod(deps, { catalogId: input.catalogId, period: input.query });
  const key = await loadPackSigningKey(deps);
  const verifications = [];
  for (const control of data.controls) verifications.push(await verifyPointChain(deps, control.id));
  const appendix: ReportAppendix = {
    chainLines: verifications.map((verification, index) => {
      const name = data.controls[index]!.name;
      return verification.isIntact
        ? `intact: ${name}: ${verification.pointCount} point(s) verified`
        : `BROKEN: ${name}: ${verification.problem ?? ""} (point ${verification.firstBrokenPointId ?? "n/a"})`;
    }),
    isChainIntact: verifications.every((verification) => verification.isIntact),
    publicKeyPem: key.publicKey.pem,
    keyId: key.publicKey.keyId,
  };
  input.onReady();
  if (input.query.format === "html") {
    input.output.end(renderReportHtml(data, findings, appendix));
    return;
  }
  await renderReportPdf(data, findings, appendix, input.output);
}
