import { CatalogSchema, type Catalog, type UpdateCatalogBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

/**
 * Finalizes a draft catalog and its controls. 409 `catalog_not_finalizable` when it is not ready,
 * 409 `catalog_finalized` when it already is.
 */
export async function finalizeCatalog(catalogId: string): Promise<Catalog> {
  const body: UpdateCatalogBody = { status: "finalized" };
  const response = await apiClient.patch(`/catalogs/${encodeURIComponent(catalogId)}`, body);
  return CatalogSchema.parse(response.data);
}

export function useFinalizeCatalog({ onSuccess }: { onSuccess?: (catalog: Catalog) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: finalizeCatalog,
    onSuccess: async (catalog) => {
      queryClient.setQueryData(catalogKeys.detail(catalog.id), catalog);
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      onSuccess?.(catalog);
    },
  });
}
