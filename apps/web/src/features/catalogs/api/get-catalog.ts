import { CatalogSchema, type Catalog } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { catalogKeys } from "./catalog-keys.ts";

export async function getCatalog(catalogId: string, signal?: AbortSignal): Promise<Catalog> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}`, { signal });
  return CatalogSchema.parse(response.data);
}

export function getCatalogQueryOptions(catalogId: string) {
  return queryOptions({
    queryKey: catalogKeys.detail(catalogId),
    queryFn: ({ signal }) => getCatalog(catalogId, signal),
  });
}

export function useCatalog(catalogId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getCatalogQueryOptions(catalogId), enabled });
}
