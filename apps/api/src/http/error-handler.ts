import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../logger.ts";
import { sendProblem, toProblem } from "./problem.ts";
import { problemContextOf, problemFromError } from "./problem-from-error.ts";

/** The one place where errors become problem+json. Unexpected errors are logged with the request id and answer 500. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters, so `_next` stays though it is never called.
  return (error, req, res, _next) => {
    const context = problemContextOf(req, res);
    if (res.headersSent) {
      // The status and part of the body are on their way already; a problem body now would corrupt them, and ending
      // the response would pass a truncated body off as whole: the connection is cut, so the client sees it failed.
      log.error({ err: error, requestId: context.requestId, url: req.originalUrl }, "error after the response started");
      res.destroy();
      return;
    }
    const { problem, headers, isUnexpected } = problemFromError(error, context);
    if (isUnexpected) log.error({ err: error, requestId: context.requestId, url: req.originalUrl }, "unhandled error");
    // Shed requests (`overloaded`) are not logged one by one: under a flood that would add to the load.
    else if (problem.code === "database_unavailable" || problem.code === "cache_unavailable")
      log.warn({ err: error, requestId: context.requestId, code: problem.code }, "answered 503: a dependency is down");
    sendProblem(res, problem, headers);
  };
}

/** Unknown API routes answer 404 problem+json rather than HTML. */
export const apiNotFound: RequestHandler = (req, res) => {
  const context = problemContextOf(req, res);
  sendProblem(
    res,
    toProblem({
      ...context,
      status: 404,
      code: "route_not_found",
      title: "Route not found",
      detail: `No route ${req.method} ${context.instance}`,
    }),
  );
};
