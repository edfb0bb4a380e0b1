import { OverviewQuerySchema, OverviewSchema, type Overview, type OverviewQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams } from "@/lib/search-params.ts";

export const overviewKeys = {
  all: ["overview"] as const,
  detail: (query: OverviewQuery) => [...overviewKeys.all, query] as const,
};

export function parseOverviewQuery(searchParams: URLSearchParams): OverviewQuery {
  return parseSearchParams(OverviewQuerySchema, searchParams);
}

export async function getOverview(query: OverviewQuery, signal?: AbortSignal): Promise<Overview> {
  const response = await apiClient.get("/overview", { params: { days: query.days }, signal });
  return OverviewSchema.parse(response.data);
}

export function getOverviewQueryOptions(query: OverviewQuery) {
  return queryOptions({
    queryKey: overviewKeys.detail(query),
    queryFn: ({ signal }) => getOverview(query, signal),
    placeholderData: keepPreviousData,
    // Scheduled runs land in the background; the page follows within half a minute.
    refetchInterval: 30_000,
  });
}

export function useOverview(query: OverviewQuery) {
  return useQuery(getOverviewQueryOptions(query));
}
