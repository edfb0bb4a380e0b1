import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../logger.ts";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Request ids are unique, not secret: a random prefix per app (so instances and restarts do not repeat each other)
 * and a counter, instead of asking the CSPRNG on every request.
 */
function requestIds(): () => string {
  const prefix = `req_${randomBytes(6).toString("base64url")}`;
  let count = 0;
  return () => `${prefix}${(count += 1).toString(36)}`;
}

/** Gives every request an id (kept from `X-Request-Id` when safe), echoes it, and logs one line per response. */
export function requestContext(log: Logger): RequestHandler {
  const nextRequestId = requestIds();
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : nextRequestId();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const level = res.statusCode >= 500 ? "error" : "debug";
      // Successful requests log at debug, off in production: the line is not even built then.
      if (!log.isLevelEnabled(level)) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log[level](
        {
          requestId,
          method: req.method,
          url: withoutAccessToken(req.originalUrl),
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        "request",
      );
    });
    next();
  };
}

/** The editor hand-off URL carries a Node-RED token (`/node-red/?access_token=…`); logs keep only its name. */
function withoutAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, "$1[redacted]");
}
