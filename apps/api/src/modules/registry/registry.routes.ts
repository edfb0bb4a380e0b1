import {
  IdParamsSchema,
  RegistryPublicationSchema,
  RegistrySyncBodySchema,
  RegistrySyncResultSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getPublication, requestPublishNow } from "./publication.service.ts";
import { syncCatalogFromRegistry } from "./registry-sync.service.ts";

/** A catalog's side of the Governify registry: its publication state, "publish now" and a sync of guarantee states. */
export function registryRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/catalogs/:id/registry",
      summary: "The catalog's publication to the registry: published, pending or error with the message",
      tag: "Registry",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The publication", schema: RegistryPublicationSchema } },
      async handler({ res, params }) {
        res.json(await getPublication(deps, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/registry/publish",
      summary: "Publish the catalog now: the background publisher sends it to the registry",
      tag: "Registry",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: {
        202: { description: "Publication requested", schema: RegistryPublicationSchema },
        409: { description: "Not finalized, or no registry configured" },
      },
      async handler({ res, actor, params }) {
        res.status(202).json(await requestPublishNow(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/registry/sync",
      summary: "Pull the registry's guarantee states of windows that closed within (from, to] and store them as points",
      tag: "Registry",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: RegistrySyncBodySchema,
      responses: {
        200: { description: "What was stored", schema: RegistrySyncResultSchema },
        409: { description: "No registry configured, or the catalog is not published" },
        502: { description: "The registry answered something unusable" },
        503: { description: "The registry is down or too slow" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await syncCatalogFromRegistry(deps, actor, params.id, body));
      },
    }),
  ];
}
