import { ChainVerificationSchema, type ChainVerification } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { pointKeys } from "./point-keys.ts";

/** Recomputes the control's hash chain of points on the server; read-only, so it is a query that can run again. */
export async function verifyPointChain(controlId: string, signal?: AbortSignal): Promise<ChainVerification> {
  const response = await apiClient.get(`/controls/${encodeURIComponent(controlId)}/points/verify`, { signal });
  return ChainVerificationSchema.parse(response.data);
}

export function verifyPointChainQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: pointKeys.chainVerification(controlId),
    queryFn: ({ signal }) => verifyPointChain(controlId, signal),
    // A verification is a moment's check; a remount checks again.
    staleTime: 0,
  });
}

export function usePointChainVerification(controlId: string) {
  return useQuery(verifyPointChainQueryOptions(controlId));
}
