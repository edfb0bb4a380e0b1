import type { Request, Response } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { toProblem } from "./problem.ts";

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** True when the client asked for Server-Sent Events. */
export function wantsEventStream(req: Request): boolean {
  return (req.get("accept") ?? "").includes("text/event-stream");
}

function write(res: Response, event: StreamEvent): void {
  res.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/**
 * Sends the events of a generator as Server-Sent Events. The headers wait for the first event, so a failure before
 * it (a limit, a missing key) still reaches the error handler and answers with its own status. A failure after it
 * becomes an `error` event carrying the problem, and the stream ends.
 */
export async function writeEventStream(req: Request, res: Response, events: AsyncGenerator<StreamEvent>, log: Logger): Promise<void> {
  const first = await events.next();
  res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
  res.flushHeaders();
  try {
    if (!first.done) write(res, first.value);
    for await (const event of events) {
      if (res.destroyed) break;
      write(res, event);
    }
  } catch (error) {
    const base = { instance: req.originalUrl.split("?")[0], requestId: res.locals.requestId as string | undefined };
    if (error instanceof AppError) {
      write(res, { event: "error", data: toProblem({ ...base, status: error.status, code: error.code, title: error.title, detail: error.message }) });
    } else {
      log.error({ err: error, requestId: base.requestId }, "event stream failed");
      write(res, { event: "error", data: toProblem({ ...base, status: 500, code: "internal_error", title: "Internal server error", detail: "An unexpected error occurred; quote the request id when reporting it" }) });
    }
  } finally {
    res.end();
  }
}
