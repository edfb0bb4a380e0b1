import {
  ApiTokenListQuerySchema,
  ApiTokenPageSchema,
  ApiTokenSchema,
  CreateApiTokenBodySchema,
  CreatedApiTokenSchema,
  IdParamsSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { createApiToken, getOwnApiToken, listOwnApiTokens, revokeApiToken } from "./tokens.service.ts";

export function tokenRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/tokens",
      summary: "List your personal API tokens",
      tag: "API tokens",
      access: "USER",
      query: ApiTokenListQuerySchema,
      responses: {
        200: { description: "A page of tokens (secrets are never shown again)", schema: ApiTokenPageSchema },
      },
      async handler({ res, actor, query }) {
        res.json(await listOwnApiTokens(deps, actor, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/tokens",
      summary: "Create a personal API token; the secret is in this answer only",
      tag: "API tokens",
      access: "USER",
      body: CreateApiTokenBodySchema,
      responses: { 201: { description: "The token, with its secret", schema: CreatedApiTokenSchema } },
      async handler({ res, actor, body }) {
        const token = await createApiToken(deps, actor, body);
        res.status(201).location(`/api/v1/tokens/${token.id}`).set("Cache-Control", "no-store").json(token);
      },
    }),
    defineRoute({
      method: "get",
      path: "/tokens/:id",
      summary: "Get one of your API tokens",
      tag: "API tokens",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The token", schema: ApiTokenSchema } },
      async handler({ res, actor, params }) {
        res.json(await getOwnApiToken(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/tokens/:id",
      summary: "Revoke one of your API tokens",
      tag: "API tokens",
      access: "USER",
      params: IdParamsSchema,
      responses: { 204: { description: "Revoked" } },
      async handler({ res, actor, params }) {
        await revokeApiToken(deps, actor, params.id);
        res.status(204).end();
      },
    }),
  ];
}
