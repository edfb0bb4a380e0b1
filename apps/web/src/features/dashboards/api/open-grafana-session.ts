import { useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

// Renewed well before the pass's 8 hours run out.
const PASS_RENEWAL_MS = 60 * 60 * 1000;

/**
 * Asks the API who the user is for Grafana; the answer also sets the Grafana pass cookie, which keeps embedded
 * panels and Grafana tabs signed in after the short-lived access token has expired.
 */
export async function openGrafanaSession(): Promise<true> {
  await apiClient.get("/auth/grafana");
  return true;
}

/** Call where Grafana content is shown; failures are silent (the content then shows Grafana's own error). */
export function useGrafanaSession({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: dashboardKeys.grafanaSession(),
    queryFn: openGrafanaSession,
    staleTime: PASS_RENEWAL_MS,
    refetchInterval: PASS_RENEWAL_MS,
    enabled,
  });
}
