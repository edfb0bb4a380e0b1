import type { RequestHandler } from "express";

/**
 * CORS only for the configured origins, with credentials; any other origin gets no CORS headers, so browsers keep
 * the same-origin rule. An empty list means same-origin only.
 */
export function corsForOrigins(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get("origin");
    if (!origin || !allowed.has(origin)) {
      next();
      return;
    }
    res.vary("Origin");
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Access-Control-Expose-Headers", "Location, X-Request-Id, Retry-After");
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
      res.setHeader(
        "Access-Control-Allow-Headers",
        "Content-Type, Authorization, X-Access-Token, X-CSRF-Token, X-Request-Id",
      );
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
}
