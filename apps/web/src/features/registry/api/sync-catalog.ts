import { RegistrySyncResultSchema, type RegistrySyncBody, type RegistrySyncResult } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { registryKeys } from "./registry-keys.ts";

/** Pulls the registry's guarantee states of the windows that closed in (from, to] into points. */
export async function syncCatalog({
  catalogId,
  ...body
}: RegistrySyncBody & { catalogId: string }): Promise<RegistrySyncResult> {
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/registry/sync`, body);
  return RegistrySyncResultSchema.parse(response.data);
}

export function useSyncCatalog() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: syncCatalog,
    onSettled: (_result, _error, variables) =>
      queryClient.invalidateQueries({ queryKey: registryKeys.publication(variables.catalogId) }),
  });
}
