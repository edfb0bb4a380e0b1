import { ComputationListQuerySchema, ComputationPageSchema, IdSchema, type ComputationListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { computationKeys } from "./computation-keys.ts";

export type ComputationPage = z.infer<typeof ComputationPageSchema>;

/**
 * The computation a link opens (`?computation=`) when the history is on its first page: the list then asks for the
 * page that holds it (`around`), wherever it sits in the history.
 */
export function aroundOf(query: ComputationListQuery, computationId: string | null): string | undefined {
  return query.page === 1 && computationId ? computationId : undefined;
}

/** Page, sort and filters of a control's computation history, as the URL describes them (the loader's first ask). */
export function parseComputationListQuery(searchParams: URLSearchParams): ComputationListQuery {
  const query = parseSearchParams(ComputationListQuerySchema, searchParams);
  const around = aroundOf(query, IdSchema.safeParse(searchParams.get("computation")).data ?? null);
  return around ? { ...query, around } : query;
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
