import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

interface DeleteCatalogVariables {
  catalogId: string;
  /**
   * Delete its controls (and their scope sets) too; without it a catalog with controls answers 409
   * `catalog_has_controls`.
   */
  cascade: boolean;
}

/** Drafts only: a finalized catalog, or one with points, answers 409 `archive_required` (it is archived instead). */
export async function deleteCatalog({ catalogId, cascade }: DeleteCatalogVariables): Promise<void> {
  await apiClient.delete(`/catalogs/${encodeURIComponent(catalogId)}`, { params: cascade ? { cascade: "true" } : {} });
}

export function useDeleteCatalog({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCatalog,
    onSuccess: async (_nothing, { catalogId }) => {
      queryClient.removeQueries({ queryKey: catalogKeys.detail(catalogId) });
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      onSuccess?.();
    },
  });
}
