import { CatalogSchema, type ArchiveBody, type Catalog } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

interface ArchiveCatalogVariables {
  catalogId: string;
  action: "archive" | "restore";
  reason: string;
}

/**
 * Archives a catalog (its controls stop being evaluated; its record stays readable) or restores it. DEVELOPER or
 * ADMIN; the reason is required and audited. 409 `archived` / `not_archived` when it already is / is not.
 */
export async function archiveCatalog({ catalogId, action, reason }: ArchiveCatalogVariables): Promise<Catalog> {
  const body: ArchiveBody = { reason };
  const response = await apiClient.post(`/catalogs/${encodeURIComponent(catalogId)}/${action}`, body);
  return CatalogSchema.parse(response.data);
}

export function useArchiveCatalog({ onSuccess }: { onSuccess?: (catalog: Catalog) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: archiveCatalog,
    onSuccess: async (catalog) => {
      queryClient.setQueryData(catalogKeys.detail(catalog.id), catalog);
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      onSuccess?.(catalog);
    },
  });
}
