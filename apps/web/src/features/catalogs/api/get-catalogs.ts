import { CatalogListQuerySchema, CatalogPageSchema, type CatalogListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { catalogKeys } from "./catalog-keys.ts";

export type CatalogPage = z.infer<typeof CatalogPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseCatalogListQuery(searchParams: URLSearchParams): CatalogListQuery {
  return parseSearchParams(CatalogListQuerySchema, searchParams);
}

export async function getCatalogs(query: CatalogListQuery, signal?: AbortSignal): Promise<CatalogPage> {
  const response = await apiClient.get("/catalogs", { params: toRequestParams(query), signal });
  return CatalogPageSchema.parse(response.data);
}

export function getCatalogsQueryOptions(query: CatalogListQuery) {
  return queryOptions({
    queryKey: catalogKeys.list(query),
    queryFn: ({ signal }) => getCatalogs(query, signal),
    // Keep the previous page on screen while the next one loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}

export function useCatalogs(query: CatalogListQuery) {
  return useQuery(getCatalogsQueryOptions(query));
}
