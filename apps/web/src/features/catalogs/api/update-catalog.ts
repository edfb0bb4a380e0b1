import { CatalogSchema, type Catalog, type UpdateCatalogBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

interface UpdateCatalogVariables {
  catalogId: string;
  body: UpdateCatalogBody;
}

/** DEVELOPER or ADMIN; 409 `duplicate` when the name is taken. */
export async function updateCatalog({ catalogId, body }: UpdateCatalogVariables): Promise<Catalog> {
  const response = await apiClient.patch(`/catalogs/${encodeURIComponent(catalogId)}`, body);
  return CatalogSchema.parse(response.data);
}

export function useUpdateCatalog({ onSuccess }: { onSuccess?: (catalog: Catalog) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateCatalog,
    onSuccess: async (catalog) => {
      queryClient.setQueryData(catalogKeys.detail(catalog.id), catalog);
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      onSuccess?.(catalog);
    },
  });
}
