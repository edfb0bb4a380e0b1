import { RunBatchSchema, type RunBatch } from "@status/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { runKeys } from "./run-keys.ts";

/** Counts per status and progress of a batch of runs. */
export async function getRunBatch(batchId: string, signal?: AbortSignal): Promise<RunBatch> {
  const response = await apiClient.get(`/run-batches/${encodeURIComponent(batchId)}`, { signal });
  return RunBatchSchema.parse(response.data);
}

export function getRunBatchQueryOptions(batchId: string) {
  return queryOptions({
    queryKey: runKeys.batch(batchId),
    queryFn: ({ signal }) => getRunBatch(batchId, signal),
  });
}

/** Where the API streams a batch's progress as Server-Sent Events (`event: batch`), until it is done. */
export function runBatchEventsUrl(batchId: string): string {
  return `/api/v1/run-batches/${encodeURIComponent(batchId)}/events`;
}
