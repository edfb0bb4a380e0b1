import {
  BulkComputationsBodySchema,
  CollectorAcceptedSchema,
  CollectorRequestSchema,
  ComputationDetailSchema,
  ComputationListQuerySchema,
  ComputationPageSchema,
  ComputationScopesSchema,
  IdParamsSchema,
} from "@status/shared";
import type { AppDeps } from "../../../deps.ts";
import { UnauthenticatedError } from "../../../errors.ts";
import { defineRoute, type RouteDefinition } from "../../../http/route.ts";
import { receiveBulkItems, receiveBulkItemsAsUser } from "./bulk-items.service.ts";
import { verifyRunToken } from "../worker/run-token.ts";
import {
  getComputationDetail,
  listControlComputations,
  listControlComputationScopes,
  startCollectorComputation,
} from "./computations.service.ts";

export function computationRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/controls/:id/computations",
      summary:
        "A control's computations, newest window first; filters by status, result (pass, fail, not_applicable, error) and scope; `around` answers the page holding one computation",
      tag: "Computations",
      access: "USER",
      params: IdParamsSchema,
      query: ComputationListQuerySchema,
      responses: {
        200: { description: "A page of computations", schema: ComputationPageSchema },
        404: { description: "No such control" },
      },
      async handler({ res, params, query }) {
        res.json(await listControlComputations(deps, params.id, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/computation-scopes",
      summary: "Every scope a control was computed for, with its number of computations (the history's scope filter)",
      tag: "Computations",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "The scopes, most computed first", schema: ComputationScopesSchema },
        404: { description: "No such control" },
      },
      async handler({ res, params }) {
        res.json(await listControlComputationScopes(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/computations/:id",
      summary:
        "A computation with its evidences; 202 while its run is still working (the registry collector polls this)",
      tag: "Computations",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: {
          description: "The computation, its evidences, and the collector aggregate",
          schema: ComputationDetailSchema,
        },
        202: { description: "Not ready yet" },
      },
      async handler({ res, params }) {
        const detail = await getComputationDetail(deps, params.id);
        if ("pending" in detail) {
          res.status(202).json({
            code: 202,
            message: "Not ready yet",
            id: detail.pending.id,
            runId: detail.pending.runId,
            status: "pending",
          });
          return;
        }
        res.json(detail);
      },
    }),
    defineRoute({
      method: "post",
      path: "/computations",
      summary:
        "Registry collector (POST-GET-V1-STATUS): compute a control for a scope and window; poll the answered URL",
      tag: "Computations",
      access: "USER",
      body: CollectorRequestSchema,
      responses: {
        201: { description: "The computation to poll", schema: CollectorAcceptedSchema },
        409: { description: "The window lies outside the control's life (window_outside_life)" },
      },
      async handler({ res, actor, body }) {
        const computationId = await startCollectorComputation(deps, actor, body);
        const url = `/api/v1/computations/${computationId}`;
        res.status(201).location(url).json({ code: 201, message: "OK", computation: url });
      },
    }),
    defineRoute({
      method: "post",
      path: "/computations/bulk",
      summary:
        "A mashup posts items for its run (status-storer protocol): with the run's callback token, or with a personal API token (DEVELOPER+, `runs:write`) whose first item's `computationGroup` names a waiting run",
      tag: "Computations",
      access: "public",
      tokenScope: "runs:write",
      body: BulkComputationsBodySchema,
      responses: {
        201: { description: "Items received" },
        400: { description: "A personal token's items name no run (bulk_run_required)" },
        401: { description: "Missing or invalid run token or API token" },
        403: { description: "The token's user may not write results, or the token lacks runs:write for the run" },
        404: { description: "No such run" },
        409: { description: "The run has finished" },
      },
      async handler({ req, res, body, optionalActor }) {
        // The authenticator already resolved a personal API token (Bearer or x-access-token) into its user.
        if (optionalActor?.authMethod === "api_token") {
          res.status(201).json(await receiveBulkItemsAsUser(deps, optionalActor, body));
          return;
        }
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
        const token = req.get("x-access-token") ?? bearer;
        if (!token)
          throw new UnauthenticatedError(
            "token_invalid",
            "Send the run's callbackToken, or a personal API token, in the x-access-token header",
          );
        res.status(201).json(await receiveBulkItems(deps, verifyRunToken(deps.keys, token), body));
      },
    }),
  ];
}
