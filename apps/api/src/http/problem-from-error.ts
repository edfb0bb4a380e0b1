import type { Request, Response } from "express";
import type { ProblemDetails } from "@status/shared";
import { isDatabaseUnreachable } from "../db/pg-errors.ts";
import { AppError, DatabaseUnavailableError } from "../errors.ts";
import { toProblem, type ProblemInput } from "./problem.ts";

/** What a problem names besides the error: the path it answers and the request id. */
export interface ProblemContext {
  instance?: string;
  requestId?: string;
}

export interface ErrorProblem {
  problem: ProblemDetails;
  /** Headers the answer carries (WWW-Authenticate, Retry-After…); an event stream has sent its headers already. */
  headers: Record<string, string>;
  /** True for anything that is not an expected failure: the caller logs it, the client sees only a generic 500. */
  isUnexpected: boolean;
}

type ProblemFields = Omit<ProblemInput, "instance" | "requestId">;

const READ_FAILED: ProblemFields = {
  status: 400,
  code: "malformed_json",
  title: "Malformed request body",
  detail: "The request body could not be read",
};

// body-parser marks its errors with a `type`; the fixed texts below replace its messages, which name charsets,
// encodings and limits in its own words.
const BODY_PARSER_PROBLEMS: Record<string, ProblemFields> = {
  "entity.parse.failed": {
    status: 400,
    code: "malformed_json",
    title: "Malformed JSON",
    detail: "The request body is not valid JSON",
  },
  "entity.too.large": {
    status: 413,
    code: "payload_too_large",
    title: "Payload too large",
    detail: "The request body exceeds the size limit",
  },
  "encoding.unsupported": {
    status: 415,
    code: "unsupported_media_type",
    title: "Unsupported media type",
    detail: "Send UTF-8 encoded JSON",
  },
  "charset.unsupported": {
    status: 415,
    code: "unsupported_media_type",
    title: "Unsupported media type",
    detail: "Send UTF-8 encoded JSON",
  },
  "request.aborted": READ_FAILED,
  "request.size.invalid": READ_FAILED,
  "stream.encoding.set": READ_FAILED,
  "parameters.too.many": READ_FAILED,
};

// Other middleware (serve-static, for one) raises http-errors whose message may name a file on the server, so the
// answer is a fixed text per status, never the message.
const MIDDLEWARE_PROBLEMS: Record<number, Omit<ProblemFields, "status">> = {
  400: { code: "bad_request", title: "Bad request", detail: "The request could not be understood" },
  403: { code: "forbidden", title: "Forbidden", detail: "This address may not be requested" },
  404: { code: "not_found", title: "Not found", detail: "Nothing exists at this address" },
  405: { code: "method_not_allowed", title: "Method not allowed", detail: "This address does not serve the method" },
  413: { code: "payload_too_large", title: "Payload too large", detail: "The request body exceeds the size limit" },
  415: { code: "unsupported_media_type", title: "Unsupported media type", detail: "The body's type is not accepted" },
};
const OTHER_CLIENT_ERROR: Omit<ProblemFields, "status"> = {
  code: "bad_request",
  title: "Request refused",
  detail: "The request was refused",
};

const INTERNAL_ERROR: ProblemFields = {
  status: 500,
  code: "internal_error",
  title: "Internal server error",
  detail: "An unexpected error occurred; quote the request id when reporting it",
};

function fieldOf(error: unknown, key: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

function fromBodyParser(error: unknown): ProblemFields | undefined {
  const type = fieldOf(error, "type");
  return typeof type === "string" && Object.hasOwn(BODY_PARSER_PROBLEMS, type) ? BODY_PARSER_PROBLEMS[type] : undefined;
}

function fromMiddleware(error: unknown): ProblemFields | undefined {
  const status = fieldOf(error, "status");
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status >= 500) return undefined;
  return { status, ...(MIDDLEWARE_PROBLEMS[status] ?? OTHER_CLIENT_ERROR) };
}

/**
 * Turns anything thrown into the problem+json answer for it: an AppError with its status, code, issues and headers;
 * a body-parser or other middleware client error with a stable code and a fixed text; anything else a 500 that the
 * caller logs. The Express error handler and the event-stream writer both answer with this, so a failure reads the
 * same whichever way it reaches the client.
 */
export function problemFromError(thrown: unknown, context: ProblemContext): ErrorProblem {
  // A database that cannot be reached surfaces as pg's own errors wherever a query was made; they become the typed
  // error here, once, rather than in every repository.
  const error = isDatabaseUnreachable(thrown) ? new DatabaseUnavailableError(thrown) : thrown;
  if (error instanceof AppError) {
    const problem = toProblem({
      ...context,
      status: error.status,
      code: error.code,
      title: error.title,
      detail: error.message,
      ...(error.issues ? { errors: error.issues } : {}),
    });
    return { problem, headers: { ...error.headers }, isUnexpected: false };
  }
  const clientError = fromBodyParser(error) ?? fromMiddleware(error);
  if (clientError) return { problem: toProblem({ ...context, ...clientError }), headers: {}, isUnexpected: false };
  return { problem: toProblem({ ...context, ...INTERNAL_ERROR }), headers: {}, isUnexpected: true };
}

/** The instance (the path, without the query) and the request id of the request a problem answers. */
export function problemContextOf(req: Request, res: Response): ProblemContext {
  return { instance: req.originalUrl.split("?")[0], requestId: res.locals.requestId as string | undefined };
}
