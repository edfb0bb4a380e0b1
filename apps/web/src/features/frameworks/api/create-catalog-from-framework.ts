import {
  CatalogFromFrameworkResultSchema,
  type CatalogFromFrameworkBody,
  type CatalogFromFrameworkResult,
} from "@status/shared";
import { useMutation } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

/** A draft catalog with one draft control per picked requirement, each mapped to it. DEVELOPER or ADMIN. */
export async function createCatalogFromFramework({
  frameworkId,
  body,
}: {
  frameworkId: string;
  body: CatalogFromFrameworkBody;
}): Promise<CatalogFromFrameworkResult> {
  const response = await apiClient.post(`/frameworks/${encodeURIComponent(frameworkId)}/catalogs`, body);
  return CatalogFromFrameworkResultSchema.parse(response.data);
}

/** The caller refreshes the catalog list (another feature's keys) in `onSuccess`. */
export function useCreateCatalogFromFramework({
  onSuccess,
}: { onSuccess?: (result: CatalogFromFrameworkResult) => void | Promise<void> } = {}) {
  return useMutation({ mutationFn: createCatalogFromFramework, onSuccess: (result) => onSuccess?.(result) });
}
