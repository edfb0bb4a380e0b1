import { ComputationScopesSchema, type ComputationScopes } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { computationKeys } from "./computation-keys.ts";

/** Every scope the control was computed for, for the history's scope filter. */
export async function getComputationScopes(controlId: string, signal?: AbortSignal): Promise<ComputationScopes> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/computation-scopes`, { signal });
  return ComputationScopesSchema.parse(response.data);
}

export function useComputationScopes(controlId: string) {
  return useQuery(
    queryOptions({
      queryKey: computationKeys.scopes(controlId),
      queryFn: ({ signal }) => getComputationScopes(controlId, signal),
    }),
  );
}

/** `{team: "payments", repository: "api"}` as the list's scope filter: `team:payments,repository:api`. */
export function scopeFilterOf(scope: Record<string, unknown>): string {
  return Object.entries(scope)
    .map(([key, value]) => `${key}:${String(value as string)}`)
    .join(",");
}

/** `{team: "payments"}` as people read it: `team = payments`; the empty scope as "No scope". */
export function scopeLabelOf(scope: Record<string, unknown>): string {
  const entries = Object.entries(scope);
  if (entries.length === 0) return "No scope";
  return entries.map(([key, value]) => `${key} = ${String(value as string)}`).join(", ");
}
