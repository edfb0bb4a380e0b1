import type { Request, Response } from "express";
import type { Logger } from "../logger.ts";
import { problemContextOf, problemFromError } from "./problem-from-error.ts";
import { openEventStream, writeEvent } from "./server-sent-events.ts";

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** True when the client asked for Server-Sent Events. */
export function wantsEventStream(req: Request): boolean {
  return (req.get("accept") ?? "").includes("text/event-stream");
}

function write(res: Response, event: StreamEvent): void {
  writeEvent(res, event.event, JSON.stringify(event.data));
}

/**
 * Sends the events of a generator as Server-Sent Events. The headers wait for the first event, so a failure before
 * it (a limit, a missing key) still reaches the error handler and answers with its own status. A failure after it
 * becomes an `error` event carrying the problem, and the stream ends.
 */
export async function writeEventStream(
  req: Request,
  res: Response,
  events: AsyncGenerator<StreamEvent>,
  log: Logger,
): Promise<void> {
  const first = await events.next();
  openEventStream(res);
  try {
    if (!first.done) write(res, first.value);
    for await (const event of events) {
      if (res.destroyed || res.writableEnded) break;
      write(res, event);
    }
  } catch (error) {
    // The body the error handler would have answered with. Its headers (Retry-After…) cannot follow: the 200 and
    // the stream's headers are sent already.
    const { problem, isUnexpected } = problemFromError(error, problemContextOf(req, res));
    if (isUnexpected) log.error({ err: error, requestId: problem.requestId }, "event stream failed");
    if (!res.writableEnded) write(res, { event: "error", data: problem });
  } finally {
    if (!res.writableEnded) res.end();
  }
}
