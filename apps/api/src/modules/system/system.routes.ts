import { SystemCapabilitiesSchema, SystemHealthSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { listCapabilities } from "./capabilities.service.ts";
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
    defineRoute({
      method: "get",
      path: "/system/capabilities",
      summary:
        "Which integrations are configured (Grafana, AI, registry, director, GitHub, OIDC) and, for those that are not, the variables to set and the README section",
      tag: "Health",
      access: "USER",
      responses: { 200: { description: "Every integration", schema: SystemCapabilitiesSchema } },
      async handler({ res }) {
        res.set("Cache-Control", "no-store").json(await listCapabilities(deps));
      },
    }),
  ];
}
