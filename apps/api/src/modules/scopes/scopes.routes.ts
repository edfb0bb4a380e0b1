import {
  CreateScopeBodySchema,
  CreateScopeSetBodySchema,
  DeleteScopeSetQuerySchema,
  IdParamsSchema,
  ScopeListQuerySchema,
  ScopePageSchema,
  ScopeSchema,
  ScopeSetListQuerySchema,
  ScopeSetPageSchema,
  ScopeSetParamsSchema,
  ScopeSetSchema,
  UpdateScopeBodySchema,
  UpdateScopeSetBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  createScopeSet,
  deleteScopeSet,
  getScopeSet,
  listScopeSetsOfControl,
  replaceScopeSet,
} from "./scope-sets.service.ts";
import { createScope, deleteScope, getScope, listAllScopes, updateScope } from "./scopes.service.ts";

export function scopeRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/scopes",
      summary: "List scope dimensions",
      tag: "Scopes",
      access: "USER",
      query: ScopeListQuerySchema,
      responses: { 200: { description: "A page of scopes", schema: ScopePageSchema } },
      async handler({ res, query }) {
        res.json(await listAllScopes(deps, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/scopes",
      summary: "Create a scope dimension",
      tag: "Scopes",
      access: "DEVELOPER",
      body: CreateScopeBodySchema,
      responses: { 201: { description: "The scope", schema: ScopeSchema }, 409: { description: "Name taken" } },
      async handler({ res, actor, body }) {
        const scope = await createScope(deps, actor, body);
        res.status(201).location(`/api/v1/scopes/${scope.id}`).json(scope);
      },
    }),
    defineRoute({
      method: "get",
      path: "/scopes/:id",
      summary: "Get a scope dimension",
      tag: "Scopes",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The scope", schema: ScopeSchema } },
      async handler({ res, params }) {
        res.json(await getScope(deps, params.id));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/scopes/:id",
      summary: "Update a scope dimension",
      tag: "Scopes",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UpdateScopeBodySchema,
      responses: { 200: { description: "The scope", schema: ScopeSchema } },
      async handler({ res, actor, params, body }) {
        res.json(await updateScope(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/scopes/:id",
      summary: "Delete an unused scope dimension",
      tag: "Scopes",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 204: { description: "Deleted" }, 409: { description: "Scope sets use it" } },
      async handler({ res, actor, params }) {
        await deleteScope(deps, actor, params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/scope-sets",
      summary: "List the scope sets of a control",
      tag: "Scopes",
      access: "USER",
      params: IdParamsSchema,
      query: ScopeSetListQuerySchema,
      responses: { 200: { description: "A page of scope sets", schema: ScopeSetPageSchema } },
      async handler({ res, params, query }) {
        res.json(await listScopeSetsOfControl(deps, params.id, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/scope-sets",
      summary: "Add a scope set to a control (of a finalized control: with a reason, creating its next version)",
      tag: "Scopes",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CreateScopeSetBodySchema,
      responses: {
        201: { description: "The scope set", schema: ScopeSetSchema },
        409: { description: "The control has this set already" },
        422: { description: "`reason_required`: the control is finalized and no reason was given" },
      },
      async handler({ res, actor, params, body }) {
        const scopeSet = await createScopeSet(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/controls/${params.id}/scope-sets/${scopeSet.id}`).json(scopeSet);
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/scope-sets/:scopeSetId",
      summary: "Get a scope set",
      tag: "Scopes",
      access: "USER",
      params: ScopeSetParamsSchema,
      responses: { 200: { description: "The scope set", schema: ScopeSetSchema } },
      async handler({ res, params }) {
        res.json(await getScopeSet(deps, params.id, params.scopeSetId));
      },
    }),
    defineRoute({
      method: "put",
      path: "/controls/:id/scope-sets/:scopeSetId",
      summary: "Replace the values of a scope set (of a finalized control: with a reason, creating its next version)",
      tag: "Scopes",
      access: "DEVELOPER",
      params: ScopeSetParamsSchema,
      body: UpdateScopeSetBodySchema,
      responses: {
        200: { description: "The scope set", schema: ScopeSetSchema },
        422: { description: "`reason_required`: the control is finalized and no reason was given" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await replaceScopeSet(deps, actor, params.id, params.scopeSetId, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id/scope-sets/:scopeSetId",
      summary: "Delete a scope set (of a finalized control: with ?reason=, creating its next version)",
      tag: "Scopes",
      access: "DEVELOPER",
      params: ScopeSetParamsSchema,
      query: DeleteScopeSetQuerySchema,
      responses: {
        204: { description: "Deleted" },
        422: { description: "`reason_required`: the control is finalized and no reason was given" },
      },
      async handler({ res, actor, params, query }) {
        await deleteScopeSet(deps, actor, params.id, params.scopeSetId, query);
        res.status(204).end();
      },
    }),
  ];
}
