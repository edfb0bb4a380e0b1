import { ScopeListQuerySchema, ScopePageSchema, type ScopeListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { scopeKeys } from "./scope-keys.ts";

export type ScopePage = z.infer<typeof ScopePageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseScopeListQuery(searchParams: URLSearchParams): ScopeListQuery {
  return parseSearchParams(ScopeListQuerySchema, searchParams);
}

export async function getScopes(query: ScopeListQuery, signal?: AbortSignal): Promise<ScopePage> {
  const response = await apiClient.get("/scopes", { params: toRequestParams(query), signal });
  return ScopePageSchema.parse(response.data);
}

export function getScopesQueryOptions(query: ScopeListQuery) {
  return queryOptions({
    queryKey: scopeKeys.list(query),
    queryFn: ({ signal }) => getScopes(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useScopes(query: ScopeListQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getScopesQueryOptions(query), enabled });
}

/** Every scope dimension, by name, for pickers (a deployment has tens, not thousands). */
export const ALL_SCOPES: ScopeListQuery = { page: 1, pageSize: 200, sort: "name", q: undefined, type: undefined };
