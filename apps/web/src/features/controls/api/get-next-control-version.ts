import { NextControlVersionSchema, type NextControlVersion, type Period } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { controlKeys } from "./control-keys.ts";

/** What a result-deciding change made now would create: the next version and the window it starts from. */
export async function getNextControlVersion(
  controlId: string,
  period: Period | undefined,
  signal?: AbortSignal,
): Promise<NextControlVersion> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/versions/next`, {
    params: period ? { period } : {},
    signal,
  });
  return NextControlVersionSchema.parse(response.data);
}

export function useNextControlVersion(controlId: string, period?: Period) {
  return useQuery(
    queryOptions({
      queryKey: controlKeys.nextVersion(controlId, period),
      queryFn: ({ signal }) => getNextControlVersion(controlId, period, signal),
      // Runs finish while the form is open; a stale answer would name the wrong window.
      staleTime: 0,
    }),
  );
}
