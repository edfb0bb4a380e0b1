import { SystemHealthSchema, type SystemHealth } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

export const SYSTEM_HEALTH_REFRESH_MS = 15_000;

export const systemKeys = {
  all: ["system"] as const,
  health: () => [...systemKeys.all, "health"] as const,
};

export async function getSystemHealth(signal?: AbortSignal): Promise<SystemHealth> {
  const response = await apiClient.get("/system/health", { signal });
  return SystemHealthSchema.parse(response.data);
}

/** Refreshed on its own while the page is open: a status page that needs reloading would hide a recovery. */
export function getSystemHealthQueryOptions() {
  return queryOptions({
    queryKey: systemKeys.health(),
    queryFn: ({ signal }) => getSystemHealth(signal),
    staleTime: 0,
    refetchInterval: SYSTEM_HEALTH_REFRESH_MS,
  });
}

export function useSystemHealth() {
  return useQuery(getSystemHealthQueryOptions());
}
