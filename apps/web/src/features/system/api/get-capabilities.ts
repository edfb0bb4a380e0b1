import {
  SystemCapabilitiesSchema,
  type IntegrationCapability,
  type IntegrationName,
  type SystemCapabilities,
} from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { systemKeys } from "./get-system-health.ts";

export const capabilitiesKey = () => [...systemKeys.all, "capabilities"] as const;

export async function getCapabilities(signal?: AbortSignal): Promise<SystemCapabilities> {
  const response = await apiClient.get("/system/capabilities", { signal });
  return SystemCapabilitiesSchema.parse(response.data);
}

/**
 * Which integrations are configured, learnt once per visit: it changes only with a server restart or the AI settings
 * (whose mutation invalidates it).
 */
export function getCapabilitiesQueryOptions() {
  return queryOptions({
    queryKey: capabilitiesKey(),
    queryFn: ({ signal }) => getCapabilities(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCapabilities() {
  return useQuery(getCapabilitiesQueryOptions());
}

/**
 * One integration: `undefined` while the answer is on its way (or if it failed; the page then behaves as before and
 * the API's own problem tells), else whether it is configured and what turns it on.
 */
export function useIntegration(name: IntegrationName): IntegrationCapability | undefined {
  const query = useCapabilities();
  return query.data?.integrations.find((integration) => integration.name === name);
}

/** True only once the answer says the integration is not configured. */
export function isUnconfigured(integration: IntegrationCapability | undefined): boolean {
  return integration !== undefined && !integration.isConfigured;
}
