import { MappingExportQuerySchema, OscalDocumentSchema } from "@status/shared";
import { useMutation } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";

type OscalDocument = Record<string, unknown>;
type MappingExportQuery = z.infer<typeof MappingExportQuerySchema>;

/** The framework as an OSCAL 1.2.1 catalog (`{ catalog }`). */
export async function exportFrameworkOscal(frameworkId: string): Promise<OscalDocument> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}/oscal`);
  return OscalDocumentSchema.parse(response.data);
}

/** The framework's mappings as an OSCAL 1.2 mapping-collection, optionally of one catalog's controls only. */
export async function exportFrameworkMappings(frameworkId: string, query: MappingExportQuery): Promise<OscalDocument> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}/mappings`, {
    params: toRequestParams(query),
  });
  return OscalDocumentSchema.parse(response.data);
}

/** Exports are fetched on demand (a click), not cached: each one is a fresh document to save. */
export function useExportFrameworkOscal() {
  return useMutation({ mutationFn: exportFrameworkOscal });
}

export function useExportFrameworkMappings() {
  return useMutation({
    mutationFn: ({ frameworkId, query }: { frameworkId: string; query: MappingExportQuery }) =>
      exportFrameworkMappings(frameworkId, query),
  });
}
