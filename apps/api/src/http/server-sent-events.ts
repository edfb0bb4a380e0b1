import type { Request, Response } from "express";
import { lifecycleOf } from "./graceful-shutdown.ts";

export interface EventStreamOptions<T> {
  /** Reads the current state; polled, because runs change in other processes (workers). */
  read: () => Promise<T>;
  /** The event name and data to send for a state. */
  toEvent: (state: T) => { event: string; data: unknown };
  isFinal: (state: T) => boolean;
  pollMs: number;
}

/**
 * Answers 200 with the headers of an event stream and sends them now; buffering proxies are asked not to hold events.
 */
export function openEventStream(res: Response): void {
  res.status(200).set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  // A shutdown ends the stream with a final event rather than waiting for it.
  lifecycleOf(res)?.trackEventStream(res);
}

/** Writes one event; `payload` is its data already serialised as JSON (one line). */
export function writeEvent(res: Response, event: string, payload: string): void {
  res.write(`event: ${event}\ndata: ${payload}\n\n`);
}

const KEEP_ALIVE_MS = 15_000;
// A stream of something that never finishes is ended after a while; EventSource reconnects by itself.
const MAX_STREAM_MS = 30 * 60_000;

/**
 * Streams a changing state as Server-Sent Events: one event whenever it changes, a comment now and then to keep
 * proxies from closing the connection, and the end of the stream once the state is final or the client leaves.
 * The state comes from the database, so any API instance can serve any stream.
 */
export async function streamEvents<T>(req: Request, res: Response, options: EventStreamOptions<T>): Promise<void> {
  openEventStream(res);
  let isOpen = true;
  req.on("close", () => {
    isOpen = false;
  });
  let lastSent = "";
  let lastWrite = Date.now();
  const endAt = Date.now() + MAX_STREAM_MS;
  while (isOpen && !res.writableEnded && Date.now() < endAt) {
    const state = await options.read();
    if (res.writableEnded) break;
    const { event, data } = options.toEvent(state);
    const payload = JSON.stringify(data);
    if (payload !== lastSent) {
      writeEvent(res, event, payload);
      lastSent = payload;
      lastWrite = Date.now();
    } else if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
      res.write(": keep-alive\n\n");
      lastWrite = Date.now();
    }
    if (options.isFinal(state)) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  if (!res.writableEnded) res.end();
}
