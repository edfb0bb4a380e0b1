import { DashboardListQuerySchema, DashboardPageSchema, type DashboardListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

export type DashboardPage = z.infer<typeof DashboardPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseDashboardListQuery(searchParams: URLSearchParams): DashboardListQuery {
  return parseSearchParams(DashboardListQuerySchema, searchParams);
}

/** Any signed-in role; 503 `grafana_not_configured` when the API has no Grafana. */
export async function getDashboards(query: DashboardListQuery, signal?: AbortSignal): Promise<DashboardPage> {
  const response = await apiClient.get("/dashboards", { params: toRequestParams(query), signal });
  return DashboardPageSchema.parse(response.data);
}

export function getDashboardsQueryOptions(query: DashboardListQuery) {
  return queryOptions({
    queryKey: dashboardKeys.list(query),
    queryFn: ({ signal }) => getDashboards(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useDashboards(query: DashboardListQuery) {
  return useQuery(getDashboardsQueryOptions(query));
}
