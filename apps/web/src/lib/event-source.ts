/** The part of EventSource the progress hooks use, so tests (and browsers without it) can supply their own. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

/** Opens a stream, or answers null where Server-Sent Events are unavailable (the hooks then poll). */
export type EventSourceFactory = (url: string) => EventSourceLike | null;

/** Same origin, so the session cookies go along. */
export const browserEventSource: EventSourceFactory = (url) =>
  typeof EventSource === "function" ? new EventSource(url, { withCredentials: true }) : null;

/** An event's `data` as JSON; undefined when it is not JSON (the caller's schema then rejects it). */
export function parseEventData(event: Event): unknown {
  const data = (event as MessageEvent<unknown>).data;
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
