import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import helmet, { type HelmetOptions } from "helmet";

/**
 * helmet's security headers, worked out once. With no per-request directives (no nonces, no functions) they depend
 * on the options alone, so helmet runs once here against a recording response and every response then gets the
 * recorded headers in one pass, instead of through helmet's chain of a dozen middlewares building them again.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const headers: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let isDone = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error("helmet refused its options");
    isDone = true;
  });
  // helmet answers synchronously; if a future version did not, recording would be wrong, so refuse to start.
  if (!isDone) throw new Error("helmet did not finish synchronously: its headers cannot be recorded once");
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
