import type { ClientRequest, IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { NextFunction, Request, Response } from "express";

/**
 * Sends a request on to the upstream and its answer back: the upstream's status with the headers `responseHeaders`
 * makes of its own, then the body, both streamed. An upstream that cannot be reached before the answer has started
 * goes to `unreachable` (which answers the error the app wants), after that the browser's connection is cut.
 */
export function forwardRequest(
  req: Request,
  res: Response,
  next: NextFunction,
  upstream: ClientRequest,
  options: {
    responseHeaders: (headers: IncomingHttpHeaders) => OutgoingHttpHeaders;
    unreachable: (error: Error) => unknown;
  },
): void {
  upstream.on("response", (answer) => {
    res.writeHead(answer.statusCode ?? 502, options.responseHeaders(answer.headers));
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (res.headersSent) return void res.destroy(error);
    next(options.unreachable(error));
  });
  // A browser that goes away mid-answer leaves nothing open towards the upstream.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
