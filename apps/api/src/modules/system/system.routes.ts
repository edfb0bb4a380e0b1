import { SystemHealthSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { checkSystemHealth } from "./system-health.service.ts";

export function systemRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/system/health",
      summary:
        "Every dependency (database, cache, queue, Node-RED, Grafana, registry, director) with latency and version",
      tag: "Health",
      access: "USER",
      responses: { 200: { description: "The dependencies; their URLs for ADMIN only", schema: SystemHealthSchema } },
      async handler({ res, actor }) {
        res.json(await checkSystemHealth(deps, actor));
      },
    }),
  ];
}
