import {
  ControlStateListSchema,
  FailuresQuerySchema,
  FailuresSchema,
  IdParamsSchema,
  OverviewQuerySchema,
  OverviewSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { sendJsonText } from "../../http/json-response.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { listFailures } from "./failures.service.ts";
import { readControlStatesJson } from "./control-states-reads.ts";
import { getOverviewJson } from "./overview.service.ts";

export function overviewRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/overview",
      summary: "Compliance per catalog now and per day, failing controls and the next scheduled runs",
      tag: "Overview",
      access: "USER",
      query: OverviewQuerySchema,
      responses: { 200: { description: "The overview", schema: OverviewSchema } },
      async handler({ res, query }) {
        sendJsonText(res, await getOverviewJson(deps, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/overview/failures",
      summary: "Failed in this period: each control with a failing window, how many, since when, and what to open",
      tag: "Overview",
      access: "USER",
      query: FailuresQuerySchema,
      responses: { 200: { description: "The controls that failed, newest failure first", schema: FailuresSchema } },
      async handler({ res, query }) {
        res.json(await listFailures(deps, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/catalogs/:id/control-states",
      summary: "Each control of a catalog with its latest point, latest run and next scheduled run",
      tag: "Overview",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The states, in the controls' name order", schema: ControlStateListSchema } },
      async handler({ res, params }) {
        sendJsonText(res, await readControlStatesJson(deps, params.id));
      },
    }),
  ];
}
