import { ControlListQuerySchema, ControlPageSchema, type ControlListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { controlKeys } from "./control-keys.ts";

export type ControlPage = z.infer<typeof ControlPageSchema>;

export function parseControlListQuery(searchParams: URLSearchParams): ControlListQuery {
  return parseSearchParams(ControlListQuerySchema, searchParams);
}

export async function getCatalogControls(
  catalogId: string,
  query: ControlListQuery,
  signal?: AbortSignal,
): Promise<ControlPage> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/controls`, {
    params: toRequestParams(query),
    signal,
  });
  return ControlPageSchema.parse(response.data);
}

export function getCatalogControlsQueryOptions(catalogId: string, query: ControlListQuery) {
  return queryOptions({
    queryKey: controlKeys.catalogList(catalogId, query),
    queryFn: ({ signal }) => getCatalogControls(catalogId, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCatalogControls(
  catalogId: string,
  query: ControlListQuery,
  { enabled = true }: { enabled?: boolean } = {},
) {
  return useQuery({ ...getCatalogControlsQueryOptions(catalogId, query), enabled });
}
