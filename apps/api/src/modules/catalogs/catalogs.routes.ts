import {
  CatalogListQuerySchema,
  CatalogPageSchema,
  CatalogSchema,
  CreateCatalogBodySchema,
  IdParamsSchema,
  UpdateCatalogBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { sendJsonText } from "../../http/json-response.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { createCatalog, getCatalog, listAllCatalogsAsJson, updateCatalog } from "./catalogs.service.ts";

export function catalogRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/catalogs",
      summary: "List catalogs",
      tag: "Catalogs",
      access: "USER",
      query: CatalogListQuerySchema,
      responses: { 200: { description: "A page of catalogs", schema: CatalogPageSchema } },
      async handler({ res, query }) {
        sendJsonText(res, (await listAllCatalogsAsJson(deps, query)).json);
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs",
      summary: "Create a draft catalog",
      tag: "Catalogs",
      access: "DEVELOPER",
      body: CreateCatalogBodySchema,
      responses: { 201: { description: "The catalog", schema: CatalogSchema }, 409: { description: "Name taken" } },
      async handler({ res, actor, body }) {
        const catalog = await createCatalog(deps, actor, body);
        res.status(201).location(`/api/v1/catalogs/${catalog.id}`).json(catalog);
      },
    }),
    defineRoute({
      method: "get",
      path: "/catalogs/:id",
      summary: "Get a catalog",
      tag: "Catalogs",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The catalog", schema: CatalogSchema } },
      async handler({ res, params }) {
        res.json(await getCatalog(deps, params.id));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/catalogs/:id",
      summary: "Update a catalog; `status: finalized` finalizes it and its controls",
      tag: "Catalogs",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UpdateCatalogBodySchema,
      responses: {
        200: { description: "The catalog", schema: CatalogSchema },
        409: { description: "Finalized catalogs cannot return to draft; or not finalizable" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await updateCatalog(deps, actor, params.id, body));
      },
    }),
  ];
}
