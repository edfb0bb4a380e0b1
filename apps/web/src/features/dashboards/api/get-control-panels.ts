import { ControlPanelListSchema, type ControlPanel } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { dashboardKeys } from "./dashboard-keys.ts";

/** The Grafana panels linked to a control; STATUS's own data, readable without Grafana. */
export async function getControlPanels(controlId: string, signal?: AbortSignal): Promise<ControlPanel[]> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/panels`, { signal });
  return ControlPanelListSchema.parse(response.data).items;
}

export function getControlPanelsQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: dashboardKeys.controlPanels(controlId),
    queryFn: ({ signal }) => getControlPanels(controlId, signal),
  });
}

export function useControlPanels(controlId: string) {
  return useQuery(getControlPanelsQueryOptions(controlId));
}
