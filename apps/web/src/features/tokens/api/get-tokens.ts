import { ApiTokenListQuerySchema, ApiTokenPageSchema, type ApiTokenListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { tokenKeys } from "./token-keys.ts";

export type ApiTokenPage = z.infer<typeof ApiTokenPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseTokenListQuery(searchParams: URLSearchParams): ApiTokenListQuery {
  return parseSearchParams(ApiTokenListQuerySchema, searchParams);
}

/** The signed-in user's own tokens; revoked ones only when asked for. */
export async function getTokens(query: ApiTokenListQuery, signal?: AbortSignal): Promise<ApiTokenPage> {
  const { includeRevoked, ...rest } = query;
  const params = { ...toRequestParams(rest), ...(includeRevoked ? { includeRevoked: "true" } : {}) };
  const response = await apiClient.get("/tokens", { params, signal });
  return ApiTokenPageSchema.parse(response.data);
}

export function getTokensQueryOptions(query: ApiTokenListQuery) {
  return queryOptions({
    queryKey: tokenKeys.list(query),
    queryFn: ({ signal }) => getTokens(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTokens(query: ApiTokenListQuery) {
  return useQuery(getTokensQueryOptions(query));
}
