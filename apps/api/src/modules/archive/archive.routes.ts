import {
  ArchiveBodySchema,
  CatalogSchema,
  ControlSchema,
  DeleteCatalogQuerySchema,
  IdParamsSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  archiveCatalog,
  archiveControl,
  deleteCatalog,
  deleteControl,
  restoreCatalog,
  restoreControl,
} from "./archive.service.ts";

const ARCHIVE_REQUIRED = "`archive_required`: it has points or is finalized, so it is archived instead";

export function archiveRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "post",
      path: "/catalogs/:id/archive",
      summary: "Archive a catalog: its controls stop being evaluated; its record stays readable and verifiable",
      tag: "Catalogs",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: ArchiveBodySchema,
      responses: {
        200: { description: "The archived catalog", schema: CatalogSchema },
        409: { description: "`archived`: already archived" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await archiveCatalog(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/restore",
      summary: "Restore an archived catalog: scheduling resumes and its agreement is published again",
      tag: "Catalogs",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: ArchiveBodySchema,
      responses: {
        200: { description: "The restored catalog", schema: CatalogSchema },
        409: { description: "`not_archived`" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await restoreCatalog(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/catalogs/:id",
      summary: "Delete a draft catalog (with its controls only when `cascade=true`); one with history is archived",
      tag: "Catalogs",
      access: "DEVELOPER",
      params: IdParamsSchema,
      query: DeleteCatalogQuerySchema,
      responses: {
        204: { description: "Deleted" },
        409: { description: `${ARCHIVE_REQUIRED}; or \`catalog_has_controls\` without cascade` },
      },
      async handler({ res, actor, params, query }) {
        await deleteCatalog(deps, actor, params.id, query);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/archive",
      summary: "Archive a control: it stops being evaluated and leaves the agreement; its record stays readable",
      tag: "Controls",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: ArchiveBodySchema,
      responses: {
        200: { description: "The archived control", schema: ControlSchema },
        409: { description: "`archived`: already archived" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await archiveControl(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/restore",
      summary: "Restore an archived control: scheduling resumes from where it stopped",
      tag: "Controls",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: ArchiveBodySchema,
      responses: {
        200: { description: "The restored control", schema: ControlSchema },
        409: { description: "`not_archived`" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await restoreControl(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id",
      summary: "Delete a draft control with its runs and scope sets; one with history is archived instead",
      tag: "Controls",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 204: { description: "Deleted" }, 409: { description: ARCHIVE_REQUIRED } },
      async handler({ res, actor, params }) {
        await deleteControl(deps, actor, params.id);
        res.status(204).end();
      },
    }),
  ];
}
