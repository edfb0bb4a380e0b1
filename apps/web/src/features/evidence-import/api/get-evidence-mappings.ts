import { EvidenceMappingListSchema, type EvidenceMapping } from "@status/shared";
import { useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { evidenceImportKeys } from "./evidence-import-keys.ts";

export async function getEvidenceMappings(catalogId: string, signal?: AbortSignal): Promise<EvidenceMapping[]> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/evidence-mappings`, { signal });
  return EvidenceMappingListSchema.parse(response.data).items;
}

export function useEvidenceMappings(catalogId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: evidenceImportKeys.mappings(catalogId),
    queryFn: ({ signal }) => getEvidenceMappings(catalogId, signal),
    enabled,
  });
}
