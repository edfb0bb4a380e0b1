import { useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import type { z } from "zod";
import { browserEventSource, parseEventData, type EventSourceFactory } from "./event-source.ts";

/** How often a job is asked for when its stream is not available. */
export const JOB_POLL_MS = 1_000;

export interface LiveJobSource<T> {
  queryKey: QueryKey;
  /** GET of the job, for polling. */
  fetch: (signal: AbortSignal) => Promise<T>;
  /** Its Server-Sent Events stream, and the event name that carries the job as JSON. */
  eventsUrl: string;
  eventName: string;
  schema: z.ZodType<T>;
  isFinished: (job: T) => boolean;
}

export interface LiveJobOptions<T> {
  createEventSource?: EventSourceFactory | undefined;
  pollMs?: number | undefined;
  /** Called once, when the job reports that it has finished. */
  onFinished?: ((job: T) => void) | undefined;
}

/**
 * The live state of a server job (a batch of runs, an evidence pack): from its Server-Sent Events stream while that
 * works, else by polling its GET. Either way the job lands in the query cache under `source.queryKey`. Mount the
 * component using it with `key={jobId}`, so a new job starts over with the stream.
 */
export function useLiveJob<T>(
  source: LiveJobSource<T>,
  { createEventSource = browserEventSource, pollMs = JOB_POLL_MS, onFinished }: LiveJobOptions<T> = {},
) {
  const queryClient = useQueryClient();
  const [isPolling, setIsPolling] = useState(false);
  const latest = useRef({ source, createEventSource });
  const jobQuery = useQuery({
    queryKey: source.queryKey,
    queryFn: ({ signal }) => source.fetch(signal),
    enabled: isPolling,
    // Polling starts with a request, not a second's wait after the last streamed state.
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data !== undefined && source.isFinished(query.state.data) ? false : pollMs,
  });
  const job = jobQuery.data;
  const { eventsUrl } = source;

  useEffect(() => {
    const { source: current, createEventSource: createSource } = latest.current;
    const cached = queryClient.getQueryData<T>(current.queryKey);
    if (cached !== undefined && current.isFinished(cached)) return;
    const events = createSource(eventsUrl);
    if (!events) {
      setIsPolling(true);
      return;
    }
    let isClosed = false;
    const close = () => {
      isClosed = true;
      events.close();
    };
    events.addEventListener(current.eventName, (event) => {
      if (isClosed) return;
      const parsed = current.schema.safeParse(parseEventData(event));
      if (!parsed.success) return;
      queryClient.setQueryData(current.queryKey, parsed.data);
      if (current.isFinished(parsed.data)) close();
    });
    // EventSource would reconnect by itself; polling is the more predictable fallback (proxies, lost sessions, 404).
    events.addEventListener("error", () => {
      if (isClosed) return;
      close();
      setIsPolling(true);
    });
    return close;
  }, [eventsUrl, queryClient]);

  const notifyFinished = useEffectEvent(() => {
    if (job !== undefined) onFinished?.(job);
  });
  const isFinished = job !== undefined && source.isFinished(job);
  useEffect(() => {
    // Only the change to finished matters, not later copies of the same finished job.
    if (isFinished) notifyFinished();
  }, [isFinished]);

  return { job, isPolling, error: jobQuery.error };
}
