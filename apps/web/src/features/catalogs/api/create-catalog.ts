import { CatalogSchema, type Catalog, type CreateCatalogBody } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

/** DEVELOPER or ADMIN; a USER gets 403 `forbidden`. */
export async function createCatalog(body: CreateCatalogBody): Promise<Catalog> {
  const response = await apiClient.post("/catalogs", body);
  return CatalogSchema.parse(response.data);
}

export function useCreateCatalog({ onSuccess }: { onSuccess?: (catalog: Catalog) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCatalog,
    onSuccess: async (catalog) => {
      queryClient.setQueryData(catalogKeys.detail(catalog.id), catalog);
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      onSuccess?.(catalog);
    },
  });
}
