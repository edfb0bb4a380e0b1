import type { RequestHandler } from "express";
import type { Metrics } from "./metrics.ts";

/** Where mountRoutes leaves the matched route's path template for the request metrics. */
export const ROUTE_TEMPLATE_LOCAL = "routeTemplate";

/**
 * Times every request and labels it with the route table's path template (never the raw URL, which would make one
 * series per id): `/api/v1/catalogs/:id`. What no route answered is grouped: the editor and Grafana proxies by their
 * prefix, other API paths as `unmatched`, everything else as the SPA.
 */
export function httpMetrics(metrics: Metrics, prefixes: { api: string; proxies: string[] }): RequestHandler {
  const routeOf = (path: string, template: unknown): string => {
    if (typeof template === "string") return `${prefixes.api}${template}`;
    const proxy = prefixes.proxies.find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    if (proxy) return `${proxy}/*`;
    if (path === "/metrics") return path;
    return path.startsWith("/api/") ? "unmatched" : "spa";
  };
  return (req, res, next) => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.once("finish", () => {
      const path = req.originalUrl.split("?")[0] ?? "/";
      stop({
        method: req.method,
        route: routeOf(path, res.locals[ROUTE_TEMPLATE_LOCAL]),
        status: String(res.statusCode),
      });
    });
    next();
  };
}
