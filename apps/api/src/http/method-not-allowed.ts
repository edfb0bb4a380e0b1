import type { RequestHandler } from "express";
import type { RouteDefinition } from "./route.ts";
import { sendProblem, toProblem } from "./problem.ts";

function patternOf(path: string): RegExp {
  const escaped = path
    .split(/(:[A-Za-z0-9_]+)/)
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${escaped.join("")}/?$`);
}

/** A known path with a method it does not serve answers 405 with `Allow`, rather than a misleading 404. */
export function methodNotAllowed(routes: readonly RouteDefinition[]): RequestHandler {
  const patterns = routes.map((route) => ({ pattern: patternOf(route.path), method: route.method.toUpperCase() }));
  return (req, res, next) => {
    const allowed = [...new Set(patterns.filter(({ pattern }) => pattern.test(req.path)).map(({ method }) => method))];
    if (allowed.length === 0) {
      next();
      return;
    }
    const problem = toProblem({
      status: 405,
      code: "method_not_allowed",
      title: "Method not allowed",
      detail: `${req.method} is not served here; use ${allowed.join(", ")}`,
      instance: req.originalUrl.split("?")[0],
      requestId: res.locals.requestId as string | undefined,
    });
    sendProblem(res, problem, { Allow: allowed.join(", ") });
  };
}
