import type { RequestHandler } from "express";
import { OverloadedError } from "../errors.ts";

/** What a refused client is asked to wait: a moment, so a burst passes without the client giving up. */
const RETRY_AFTER_SECONDS = 1;

/**
 * A per-instance limit on requests served at once. Past it a request is refused at once with 503 `overloaded` and
 * Retry-After instead of queueing behind the others: under a flood the answers that are given stay fast, and the
 * instance stays healthy. Probes and long-lived event streams are never counted or refused (`isExempt`).
 */
export function shedLoad(options: { maxConcurrent: number; isExempt: (path: string) => boolean }): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (options.maxConcurrent === 0 || options.isExempt(req.path)) return next();
    if ((req.get("accept") ?? "").includes("text/event-stream")) return next();
    if (inFlight >= options.maxConcurrent) return next(new OverloadedError(RETRY_AFTER_SECONDS));
    inFlight += 1;
    // "close" fires once per response, answered or abandoned by the client.
    res.once("close", () => {
      inFlight -= 1;
    });
    next();
  };
}
