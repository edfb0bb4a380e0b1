import type { Server } from "node:http";
import type { RequestHandler, Response } from "express";
import type { Logger } from "../logger.ts";

/**
 * What an HTTP server knows of its own shutdown: whether it is draining, and the event streams it must end (they would
 * otherwise hold the process for up to half an hour).
 */
export interface HttpLifecycle {
  readonly isDraining: boolean;
  /** Called by every event stream as it opens; it is forgotten when it closes. */
  trackEventStream(res: Response): void;
  /** Starts draining: answers carry `Connection: close`, and open event streams get a final event and end. */
  drain(): void;
}

/** The last event of a stream ended by a shutdown; EventSource reconnects (to another instance) after `retry`. */
const SHUTDOWN_EVENT = `retry: 1000\nevent: shutdown\ndata: ${JSON.stringify({ reason: "The server is restarting; reconnect" })}\n\n`;

export function createHttpLifecycle(): HttpLifecycle {
  const streams = new Set<Response>();
  let isDraining = false;
  const end = (res: Response) => {
    if (res.writableEnded) return;
    res.write(SHUTDOWN_EVENT);
    res.end();
  };
  return {
    get isDraining() {
      return isDraining;
    },
    trackEventStream(res) {
      if (isDraining) return end(res);
      streams.add(res);
      res.once("close", () => streams.delete(res));
    },
    drain() {
      isDraining = true;
      for (const res of streams) end(res);
      streams.clear();
    },
  };
}

/** Hands the lifecycle to the event-stream helpers; asks keep-alive clients to reconnect elsewhere when draining. */
export function lifecycleMiddleware(lifecycle: HttpLifecycle): RequestHandler {
  return (_req, res, next) => {
    res.locals.httpLifecycle = lifecycle;
    if (lifecycle.isDraining) res.set("Connection", "close");
    next();
  };
}

/** The lifecycle of the app that answers `res` (none outside an app built by createApp, e.g. in unit tests). */
export function lifecycleOf(res: Response): HttpLifecycle | undefined {
  return res.locals.httpLifecycle as HttpLifecycle | undefined;
}

const lifecycles = new WeakMap<Server, HttpLifecycle>();

export function registerLifecycle(server: Server, lifecycle: HttpLifecycle): void {
  lifecycles.set(server, lifecycle);
}

/**
 * SIGTERM for an HTTP server: stop accepting connections, end event streams with a final event, close idle keep-alive
 * connections, let the requests in flight finish for up to `timeoutMs`, then close whatever is left.
 */
export async function closeGracefully(server: Server, options: { timeoutMs: number; log: Logger }): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  lifecycles.get(server)?.drain();
  server.closeIdleConnections();
  // A connection that was busy becomes idle once its answer is sent; close those as they go quiet.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    options.log.warn({ timeoutMs: options.timeoutMs }, "shutdown deadline reached: closing the connections left");
    server.closeAllConnections();
  }, options.timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
