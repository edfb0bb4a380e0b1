import { ComputationDetailSchema, IdSchema, type ComputationDetail } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { computationKeys } from "./computation-keys.ts";

/** How often a computation that is still being worked on is asked for again. */
const PENDING_POLL_MS = 2_000;

/** The 202 answer while the computation's run is still working. */
const PendingComputationSchema = z.object({ id: IdSchema, runId: IdSchema.nullish(), status: z.literal("pending") });

export type ComputationResult =
  { state: "ready"; computation: ComputationDetail } | { state: "pending"; id: string; runId: string | null };

/** 200 with the computation and its evidences, or 202 while its run has not finished. 404 `not_found`. */
export async function getComputation(computationId: string, signal?: AbortSignal): Promise<ComputationResult> {
  const response = await apiClient.get(`/computations/${encodeURIComponent(computationId)}`, { signal });
  if (response.status === 202) {
    const pending = PendingComputationSchema.parse(response.data);
    return { state: "pending", id: pending.id, runId: pending.runId ?? null };
  }
  return { state: "ready", computation: ComputationDetailSchema.parse(response.data) };
}

export function getComputationQueryOptions(computationId: string) {
  return queryOptions({
    queryKey: computationKeys.detail(computationId),
    queryFn: ({ signal }) => getComputation(computationId, signal),
    refetchInterval: (query) => (query.state.data?.state === "pending" ? PENDING_POLL_MS : false),
  });
}

export function useComputation(computationId: string) {
  return useQuery(getComputationQueryOptions(computationId));
}
