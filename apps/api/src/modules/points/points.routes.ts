import {
  ChainVerificationQuerySchema,
  ChainVerificationSchema,
  IdParamsSchema,
  PointListQuerySchema,
  PointPageSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { sendJsonText } from "../../http/json-response.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { verifyPointChain } from "./chain-verification.service.ts";
import { readPointPageJson } from "./point-page-reads.ts";

export function pointRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/points",
      summary: "Guarantee points, filtered by catalog, control, scope (key:value), result and time",
      tag: "Points",
      access: "USER",
      query: PointListQuerySchema,
      responses: { 200: { description: "A page of points", schema: PointPageSchema } },
      async handler({ res, query }) {
        sendJsonText(res, await readPointPageJson(deps, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/points/verify",
      summary: "Check a control's hash chain of points (and the evidence behind them)",
      tag: "Points",
      access: "USER",
      params: IdParamsSchema,
      query: ChainVerificationQuerySchema,
      responses: {
        200: { description: "Whether the chain is intact, and where it breaks", schema: ChainVerificationSchema },
      },
      async handler({ res, params, query }) {
        res.json(await verifyPointChain(deps, params.id, query));
      },
    }),
  ];
}
