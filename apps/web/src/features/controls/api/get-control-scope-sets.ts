import { ScopeSetListQuerySchema, ScopeSetPageSchema, type ScopeSetListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { controlKeys } from "./control-keys.ts";

export type ScopeSetPage = z.infer<typeof ScopeSetPageSchema>;

/** The URL parameter that holds the scope sets' page, apart from the page of the control's other lists. */
export const SCOPE_SET_PAGE_PARAM = "scopeSetPage";
const SCOPE_SET_PAGE_SIZE = 25;

export function parseScopeSetListQuery(searchParams: URLSearchParams): ScopeSetListQuery {
  return ScopeSetListQuerySchema.catch({ page: 1, pageSize: SCOPE_SET_PAGE_SIZE }).parse({
    page: searchParams.get(SCOPE_SET_PAGE_PARAM) ?? undefined,
    pageSize: SCOPE_SET_PAGE_SIZE,
  });
}

export async function getControlScopeSets(
  controlId: string,
  query: ScopeSetListQuery,
  signal?: AbortSignal,
): Promise<ScopeSetPage> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/scope-sets`, {
    params: toRequestParams(query),
    signal,
  });
  return ScopeSetPageSchema.parse(response.data);
}

export function getControlScopeSetsQueryOptions(controlId: string, query: ScopeSetListQuery) {
  return queryOptions({
    queryKey: controlKeys.scopeSetList(controlId, query),
    queryFn: ({ signal }) => getControlScopeSets(controlId, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useControlScopeSets(controlId: string, query: ScopeSetListQuery) {
  return useQuery(getControlScopeSetsQueryOptions(controlId, query));
}
