import {
  EvidenceImportResultSchema,
  SCANNER_CONTENT_TYPES,
  type EvidenceImportResult,
  type ScannerFormat,
} from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

interface ImportScannerFileVariables {
  catalogId: string;
  format: ScannerFormat;
  /** The file's text, sent as the body as the scanner wrote it. */
  content: string;
  /** YAML PolicyReports go as YAML, everything else in the format's first content type. */
  isYaml: boolean;
  dryRun: boolean;
}

/**
 * A scanner file into the catalog's push controls through its mapping rules (DEVELOPER): with `dryRun` the preview
 * (per control the results and the value they make, the unmapped rule ids), otherwise one submission per control.
 */
export async function importScannerFile({
  catalogId,
  format,
  content,
  isYaml,
  dryRun,
}: ImportScannerFileVariables): Promise<EvidenceImportResult> {
  const contentType = isYaml ? "application/yaml" : SCANNER_CONTENT_TYPES[format][0]!;
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/evidence/import`, content, {
    params: { format, dryRun: String(dryRun) },
    headers: { "Content-Type": contentType },
    // The file goes as it is: never JSON-encoded as a string by axios.
    transformRequest: [(data: unknown) => data],
  });
  return EvidenceImportResultSchema.parse(response.data);
}

export function useImportScannerFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importScannerFile,
    onSuccess: async (result) => {
      // Stored submissions are new computations of the controls: their history and states move.
      if (!result.isDryRun) await queryClient.invalidateQueries({ queryKey: ["controls"] });
    },
  });
}
