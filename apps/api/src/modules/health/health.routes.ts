import { LivenessSchema, ReadinessSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { checkReadiness } from "./health.service.ts";

const startedAt = Date.now();
export const API_VERSION = "0.1.0";

export function healthRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/health",
      summary: "Liveness: the process answers",
      tag: "Health",
      access: "public",
      responses: { 200: { description: "Alive", schema: LivenessSchema } },
      handler({ res }) {
        res.json({ status: "ok", version: API_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
      },
    }),
    defineRoute({
      method: "get",
      path: "/health/ready",
      summary: "Readiness: database, cache and Node-RED reachable",
      tag: "Health",
      access: "public",
      responses: {
        200: { description: "Ready", schema: ReadinessSchema },
        503: { description: "A dependency is down", schema: ReadinessSchema },
      },
      async handler({ res }) {
        const readiness = await checkReadiness(deps);
        res.status(readiness.status === "ready" ? 200 : 503).json(readiness);
      },
    }),
  ];
}
