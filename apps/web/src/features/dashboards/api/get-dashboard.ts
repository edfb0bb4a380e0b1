import { DashboardDetailSchema, type DashboardDetail } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** A dashboard's JSON model (the export), its panels and where to embed them. */
export async function getDashboard(uid: string, signal?: AbortSignal): Promise<DashboardDetail> {
  const response = await apiClient.get(`/dashboards/${encodeURIComponent(uid)}`, { signal });
  return DashboardDetailSchema.parse(response.data);
}

export function getDashboardQueryOptions(uid: string) {
  return queryOptions({ queryKey: dashboardKeys.detail(uid), queryFn: ({ signal }) => getDashboard(uid, signal) });
}

export function useDashboard(uid: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getDashboardQueryOptions(uid), enabled });
}
