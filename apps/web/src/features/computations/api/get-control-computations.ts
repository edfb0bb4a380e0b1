import { ComputationListQuerySchema, ComputationPageSchema, type ComputationListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { computationKeys } from "./computation-keys.ts";

export type ComputationPage = z.infer<typeof ComputationPageSchema>;

/** Page, sort and status filter of a control's computation history, as the URL describes them. */
export function parseComputationListQuery(searchParams: URLSearchParams): ComputationListQuery {
  return parseSearchParams(ComputationListQuerySchema, searchParams);
}

export async function getControlComputations(
  controlId: string,
  query: ComputationListQuery,
  signal?: AbortSignal,
): Promise<ComputationPage> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/computations`, {
    params: toRequestParams(query),
    signal,
  });
  return ComputationPageSchema.parse(response.data);
}

export function getControlComputationsQueryOptions(controlId: string, query: ComputationListQuery) {
  return queryOptions({
    queryKey: computationKeys.controlList(controlId, query),
    queryFn: ({ signal }) => getControlComputations(controlId, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useControlComputations(controlId: string, query: ComputationListQuery) {
  return useQuery(getControlComputationsQueryOptions(controlId, query));
}
