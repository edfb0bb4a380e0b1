import {
  CatalogControlsParamsSchema,
  ControlVersionListQuerySchema,
  ControlVersionPageSchema,
  NextControlVersionQuerySchema,
  NextControlVersionSchema,
  ControlListQuerySchema,
  ControlPageSchema,
  ControlSchema,
  CreateControlBodySchema,
  IdParamsSchema,
  UpdateControlBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { sendJsonText } from "../../http/json-response.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  createControl,
  getControlAsJson,
  listAllControlsAsJson,
  listControlsOfCatalogAsJson,
  updateControl,
} from "./controls.service.ts";
import { listControlVersions, previewNextVersion } from "./control-versions.service.ts";

export function controlRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/catalogs/:id/controls",
      summary: "List the controls of a catalog",
      tag: "Controls",
      access: "USER",
      params: CatalogControlsParamsSchema,
      query: ControlListQuerySchema,
      responses: { 200: { description: "A page of controls", schema: ControlPageSchema } },
      async handler({ res, actor, params, query }) {
        sendJsonText(res, (await listControlsOfCatalogAsJson(deps, params.id, query, actor.userId)).json);
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/controls",
      summary: "Add a control to a catalog",
      tag: "Controls",
      access: "DEVELOPER",
      params: CatalogControlsParamsSchema,
      body: CreateControlBodySchema,
      responses: {
        201: { description: "The control", schema: ControlSchema },
        409: { description: "Name taken in this catalog" },
      },
      async handler({ res, actor, params, body }) {
        const control = await createControl(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/controls/${control.id}`).json(control);
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls",
      summary: "List controls across catalogs",
      tag: "Controls",
      access: "USER",
      query: ControlListQuerySchema,
      responses: { 200: { description: "A page of controls", schema: ControlPageSchema } },
      async handler({ res, actor, query }) {
        sendJsonText(res, (await listAllControlsAsJson(deps, query, actor.userId)).json);
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id",
      summary: "Get a control",
      tag: "Controls",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The control", schema: ControlSchema } },
      async handler({ res, params }) {
        sendJsonText(res, (await getControlAsJson(deps, params.id)).json);
      },
    }),
    defineRoute({
      method: "patch",
      path: "/controls/:id",
      summary: "Update a control (on a finalized one, a period, threshold, mashup or parameter change needs a reason)",
      tag: "Controls",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UpdateControlBodySchema,
      responses: {
        200: { description: "The control", schema: ControlSchema },
        409: { description: "Finalized controls cannot return to draft" },
        422: { description: "`reason_required`: a result-deciding change of a finalized control without a reason" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await updateControl(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/versions",
      summary: "A control's versions: what decided its results from which window, who changed it, when, why and what",
      tag: "Controls",
      access: "USER",
      params: IdParamsSchema,
      query: ControlVersionListQuerySchema,
      responses: { 200: { description: "A page of versions", schema: ControlVersionPageSchema } },
      async handler({ res, params, query }) {
        res.json(await listControlVersions(deps, params.id, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/versions/next",
      summary: "What a result-deciding change made now would create: the next version and the window it starts from",
      tag: "Controls",
      access: "USER",
      params: IdParamsSchema,
      query: NextControlVersionQuerySchema,
      responses: { 200: { description: "The next version", schema: NextControlVersionSchema } },
      async handler({ res, params, query }) {
        res.json(await previewNextVersion(deps, params.id, query));
      },
    }),
  ];
}
