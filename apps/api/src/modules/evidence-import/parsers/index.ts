import type { ScannerFormat } from "@status/shared";
import { parseJunit } from "./junit.ts";
import { parseOcsf } from "./ocsf.ts";
import { parsePolicyReport } from "./policy-report.ts";
import { parseSarif } from "./sarif.ts";
import type { ScannerReport } from "./scanner-report.ts";

export { MAX_SCANNER_RESULTS, type ScannerReport } from "./scanner-report.ts";

const PARSERS: Record<ScannerFormat, (source: string) => ScannerReport> = {
  ocsf: parseOcsf,
  junit: parseJunit,
  policyreport: parsePolicyReport,
  sarif: parseSarif,
};

/** Reads a scanner file of the given format; 400 `import_format_invalid` when it is not one. */
export function parseScannerFile(format: ScannerFormat, source: string): ScannerReport {
  return PARSERS[format](source);
}
