import { EventListQuerySchema, EventListSchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { listRecentEvents } from "./events.service.ts";

export function eventRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/events",
      summary: "Recent state-change events (the header's bell), newest first",
      tag: "Alerts",
      access: "USER",
      query: EventListQuerySchema,
      responses: { 200: { description: "Events as CloudEvents", schema: EventListSchema } },
      async handler({ res, query }) {
        res.json(await listRecentEvents(deps, query));
      },
    }),
  ];
}
