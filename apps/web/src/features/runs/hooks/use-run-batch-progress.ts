import { RunBatchSchema, type RunBatch } from "@status/shared";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { useLiveJob } from "@/lib/use-live-job.ts";
import { getRunBatch, runBatchEventsUrl } from "../api/get-run-batch.ts";
import { runKeys } from "../api/run-keys.ts";

interface RunBatchProgressOptions {
  createEventSource?: EventSourceFactory | undefined;
  pollMs?: number;
  /** Called once, when the batch reports that every run has finished. */
  onDone?: ((batch: RunBatch) => void) | undefined;
}

/**
 * The live state of a batch of runs: from its Server-Sent Events stream (`event: batch`) while that works, else by
 * polling GET /run-batches/:id. Either way the batch lands in the query cache under `runKeys.batch(id)`.
 * Mount it with `key={batchId}`, so a new batch starts over with the stream.
 */
export function useRunBatchProgress(
  batchId: string,
  { createEventSource, pollMs, onDone }: RunBatchProgressOptions = {},
) {
  const { job, isPolling, error } = useLiveJob(
    {
      queryKey: runKeys.batch(batchId),
      fetch: (signal) => getRunBatch(batchId, signal),
      eventsUrl: runBatchEventsUrl(batchId),
      eventName: "batch",
      schema: RunBatchSchema,
      isFinished: (batch) => batch.isDone,
    },
    { createEventSource, pollMs, onFinished: onDone },
  );
  return { batch: job, isPolling, error };
}
