import { RetentionSchema, UpdateRetentionBodySchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getRetention, updateRetention } from "./retention.service.ts";

export function retentionRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/retention",
      summary: "How long each category of data is kept, with its row count and on-disk size, and the last pruning",
      tag: "Retention",
      access: "ADMIN",
      responses: { 200: { description: "The retention settings and sizes", schema: RetentionSchema } },
      async handler({ res }) {
        res.json(await getRetention(deps));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/retention",
      summary: "Set how long categories are kept (days, or null for forever); audited",
      tag: "Retention",
      access: "ADMIN",
      body: UpdateRetentionBodySchema,
      responses: { 200: { description: "The retention settings and sizes", schema: RetentionSchema } },
      async handler({ res, actor, body }) {
        res.json(await updateRetention(deps, actor, body));
      },
    }),
  ];
}
