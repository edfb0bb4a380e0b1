import type { Request, Response } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { toProblem } from "./problem.ts";
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
      if (res.destroyed) break;
      write(res, event);
    }
  } catch (error) {
    const base = { instance: req.originalUrl.split("?")[0], requestId: res.locals.requestId as string | undefined };
    if (error instanceof AppError) {
      write(res, {
        event: "error",
        data: toProblem({ ...base, status: error.status, code: error.code, title: error.title, detail: error.message }),
      });
    } else {
      log.error({ err: error, requestId: base.requestId }, "event stream failed");
      write(res, {
        event: "error",
        data: toProblem({
          ...base,
          status: 500,
          code: "internal_error",
          title: "Internal server error",
          detail: "An unexpected error occurred; quote the request id when reporting it",
        }),
      });
    }
  } finally {
    res.end();
  }
}
