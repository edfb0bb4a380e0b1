import { EvidenceMappingSchema, type EvidenceMapping, type ScannerFormat } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { evidenceImportKeys } from "./evidence-import-keys.ts";

interface CreateMappingVariables {
  catalogId: string;
  pattern: string;
  format: ScannerFormat | null;
  controlId: string;
}

/** A rule → control mapping of the catalog (DEVELOPER); 409 `duplicate` when the pattern and format are mapped. */
export async function createEvidenceMapping({ catalogId, ...body }: CreateMappingVariables): Promise<EvidenceMapping> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/evidence-mappings`, body);
  return EvidenceMappingSchema.parse(response.data);
}

export function useCreateEvidenceMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createEvidenceMapping,
    onSuccess: async (mapping) => {
      await queryClient.invalidateQueries({ queryKey: evidenceImportKeys.mappings(mapping.catalogId) });
    },
  });
}
