import { ControlStateListSchema, type ControlState } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

/** Each control of a catalog with its latest point, latest run and next scheduled run. */
export async function getControlStates(catalogId: string, signal?: AbortSignal): Promise<Map<string, ControlState>> {
  const response = await apiClient.get(`/catalogs/${encodeURIComponent(catalogId)}/control-states`, { signal });
  const { items } = ControlStateListSchema.parse(response.data);
  return new Map(items.map((state) => [state.controlId, state]));
}

export function getControlStatesQueryOptions(catalogId: string) {
  return queryOptions({
    queryKey: controlKeys.states(catalogId),
    queryFn: ({ signal }) => getControlStates(catalogId, signal),
    // Runs finish in the background; the states follow within seconds while the page is open.
    staleTime: 5_000,
  });
}

export function useControlStates(catalogId: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...getControlStatesQueryOptions(catalogId), enabled: options.enabled ?? true });
}
