import { RunBatchSchema, type RunBatch } from "@status/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { getRunBatchQueryOptions, runBatchEventsUrl } from "../api/get-run-batch.ts";
import { runKeys } from "../api/run-keys.ts";

/** The part of EventSource this hook uses, so tests (and browsers without it) can supply their own. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

/** Opens a stream, or answers null where Server-Sent Events are unavailable (the hook then polls). */
export type EventSourceFactory = (url: string) => EventSourceLike | null;

/** Same origin, so the session cookies go along. */
export const browserEventSource: EventSourceFactory = (url) =>
  typeof EventSource === "function" ? new EventSource(url, { withCredentials: true }) : null;

/** How often the batch is asked for when the stream is not available. */
export const BATCH_POLL_MS = 1_000;

interface RunBatchProgressOptions {
  createEventSource?: EventSourceFactory;
  pollMs?: number;
  /** Called once, when the batch reports that every run has finished. */
  onDone?: (batch: RunBatch) => void;
}

/**
 * The live state of a batch of runs: from its Server-Sent Events stream (`event: batch`) while that works, else by
 * polling GET /run-batches/:id. Either way the batch lands in the query cache under `runKeys.batch(id)`.
 * Mount it with `key={batchId}`, so a new batch starts over with the stream.
 */
export function useRunBatchProgress(
  batchId: string,
  { createEventSource = browserEventSource, pollMs = BATCH_POLL_MS, onDone }: RunBatchProgressOptions = {},
) {
  const queryClient = useQueryClient();
  const [isPolling, setIsPolling] = useState(false);
  const createSource = useRef(createEventSource);
  const batchQuery = useQuery({
    ...getRunBatchQueryOptions(batchId),
    enabled: isPolling,
    // Polling starts with a request, not a second's wait after the last streamed state.
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.isDone ? false : pollMs),
  });
  const batch = batchQuery.data;

  useEffect(() => {
    if (queryClient.getQueryData<RunBatch>(runKeys.batch(batchId))?.isDone) return;
    const source = createSource.current(runBatchEventsUrl(batchId));
    if (!source) {
      setIsPolling(true);
      return;
    }
    let isClosed = false;
    const close = () => {
      isClosed = true;
      source.close();
    };
    source.addEventListener("batch", (event) => {
      if (isClosed) return;
      const parsed = RunBatchSchema.safeParse(parseJson((event as MessageEvent<unknown>).data));
      if (!parsed.success) return;
      queryClient.setQueryData(runKeys.batch(batchId), parsed.data);
      if (parsed.data.isDone) close();
    });
    // EventSource would reconnect by itself; polling is the more predictable fallback (proxies, lost sessions).
    source.addEventListener("error", () => {
      if (isClosed) return;
      close();
      setIsPolling(true);
    });
    return close;
  }, [batchId, queryClient]);

  const notifyDone = useEffectEvent(() => {
    if (batch) onDone?.(batch);
  });
  const isDone = batch?.isDone ?? false;
  useEffect(() => {
    // Only the change to done matters, not later copies of the same finished batch.
    if (isDone) notifyDone();
  }, [isDone]);

  return { batch, isPolling, error: batchQuery.error };
}

function parseJson(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
