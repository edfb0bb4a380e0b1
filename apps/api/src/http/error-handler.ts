import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { sendProblem, toProblem, type ProblemInput } from "./problem.ts";

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Errors raised by express.json before any route runs, mapped to client errors. */
function fromBodyParser(error: BodyParserError): Omit<ProblemInput, "instance" | "requestId"> | undefined {
  switch (error.type) {
    case "entity.parse.failed":
      return {
        status: 400,
        code: "malformed_json",
        title: "Malformed JSON",
        detail: "The request body is not valid JSON",
      };
    case "entity.too.large":
      return {
        status: 413,
        code: "payload_too_large",
        title: "Payload too large",
        detail: "The request body exceeds the size limit",
      };
    case "encoding.unsupported":
    case "charset.unsupported":
      return {
        status: 415,
        code: "unsupported_media_type",
        title: "Unsupported media type",
        detail: "Send UTF-8 encoded JSON",
      };
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
    case "parameters.too.many":
      return {
        status: 400,
        code: "malformed_json",
        title: "Malformed request body",
        detail: "The request body could not be read",
      };
    default:
      return undefined;
  }
}

/** The one place where errors become problem+json. Unexpected errors are logged with the request id and answer 500. */
export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const base = { instance: req.originalUrl.split("?")[0], requestId: res.locals.requestId as string | undefined };
    if (res.headersSent) {
      const httpStatus = (error as { status?: unknown }).status;
      if (typeof httpStatus === "number" && httpStatus >= 400 && httpStatus < 500) {
        // Client errors raised by middleware (serve-static's 404, for instance).
        const code =
          httpStatus === 404
            ? "not_found"
            : httpStatus === 413
              ? "payload_too_large"
              : httpStatus === 415
                ? "unsupported_media_type"
                : "bad_request";
        sendProblem(
          res,
          toProblem({ ...base, status: httpStatus, code, title: "Request refused", detail: (error as Error).message }),
        );
        return;
      }
      log.error({ err: error, requestId: base.requestId }, "error after the response started");
      res.end();
      return;
    }
    if (error instanceof AppError) {
      const problem = toProblem({
        ...base,
        status: error.status,
        code: error.code,
        title: error.title,
        detail: error.message,
        ...(error.issues ? { errors: error.issues } : {}),
      });
      sendProblem(res, problem, error.headers);
      return;
    }
    const parserProblem = fromBodyParser(error as BodyParserError);
    if (parserProblem) {
      sendProblem(res, toProblem({ ...base, ...parserProblem }));
      return;
    }
    const httpStatus = (error as { status?: unknown }).status;
    if (typeof httpStatus === "number" && httpStatus >= 400 && httpStatus < 500) {
      // Client errors raised by middleware (serve-static's 404, for instance).
      const code =
        httpStatus === 404
          ? "not_found"
          : httpStatus === 413
            ? "payload_too_large"
            : httpStatus === 415
              ? "unsupported_media_type"
              : "bad_request";
      sendProblem(
        res,
        toProblem({ ...base, status: httpStatus, code, title: "Request refused", detail: (error as Error).message }),
      );
      return;
    }
    log.error({ err: error, requestId: base.requestId, url: req.originalUrl }, "unhandled error");
    sendProblem(
      res,
      toProblem({
        ...base,
        status: 500,
        code: "internal_error",
        title: "Internal server error",
        detail: "An unexpected error occurred; quote the request id when reporting it",
      }),
    );
  };
}

/** Unknown API routes answer 404 problem+json rather than HTML. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendProblem(
    res,
    toProblem({
      status: 404,
      code: "route_not_found",
      title: "Route not found",
      detail: `No route ${req.method} ${req.originalUrl.split("?")[0]}`,
      instance: req.originalUrl.split("?")[0],
      requestId: res.locals.requestId as string | undefined,
    }),
  );
};
