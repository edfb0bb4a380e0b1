import { DashboardFolderListSchema, type DashboardFolder } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

export async function getDashboardFolders(signal?: AbortSignal): Promise<DashboardFolder[]> {
  const response = await apiClient.get("/dashboard-folders", { signal });
  return DashboardFolderListSchema.parse(response.data).items;
}

export function getDashboardFoldersQueryOptions() {
  return queryOptions({ queryKey: dashboardKeys.folders(), queryFn: ({ signal }) => getDashboardFolders(signal) });
}

export function useDashboardFolders() {
  return useQuery(getDashboardFoldersQueryOptions());
}
