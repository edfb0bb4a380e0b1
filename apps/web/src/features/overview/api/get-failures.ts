import { FailuresSchema, type Failures, type FailuresQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { toRequestParams } from "@/lib/search-params.ts";
import { overviewKeys } from "./get-overview.ts";

/** "Failed in this period": every control with a failing window in the period, newest failure first. */
export async function getFailures(query: FailuresQuery, signal?: AbortSignal): Promise<Failures> {
  const response = await apiClient.get("/overview/failures", { params: toRequestParams(query), signal });
  return FailuresSchema.parse(response.data);
}

export function getFailuresQueryOptions(query: FailuresQuery) {
  return queryOptions({
    queryKey: [...overviewKeys.all, "failures", query] as const,
    queryFn: ({ signal }) => getFailures(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useFailures(query: FailuresQuery) {
  return useQuery(getFailuresQueryOptions(query));
}
