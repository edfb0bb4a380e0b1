import {
  ControlRequirementMappingListSchema,
  ControlRequirementMappingSchema,
  CreateMappingBodySchema,
  IdParamsSchema,
  ImportMappingsBodySchema,
  ImportMappingsQuerySchema,
  ImportMappingsResultSchema,
  MappingExportQuerySchema,
  MappingParamsSchema,
  OscalDocumentSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { exportMappings, importMappings } from "./mapping-collection.service.ts";
import { listControlMappings, mapControl, unmapControl } from "./mappings.service.ts";

export function mappingRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/controls/:id/requirements",
      summary: "The framework requirements a control is mapped to",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "Its mappings", schema: ControlRequirementMappingListSchema } },
      async handler({ res, params }) {
        res.json({ items: await listControlMappings(deps, params.id) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/requirements",
      summary: "Map a control to a requirement with a NIST IR 8477 relationship (the same pair again replaces it)",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CreateMappingBodySchema,
      responses: {
        200: { description: "The mapping, replaced", schema: ControlRequirementMappingSchema },
        201: { description: "The mapping, new", schema: ControlRequirementMappingSchema },
        404: { description: "No such control or requirement" },
      },
      async handler({ res, actor, params, body }) {
        const { mapping, isNew } = await mapControl(deps, actor, { controlId: params.id, body });
        if (isNew) res.status(201).location(`/api/v1/controls/${params.id}/requirements/${mapping.requirementId}`);
        res.json(mapping);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id/requirements/:requirementId",
      summary: "Remove a control's mapping to a requirement",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: MappingParamsSchema,
      responses: { 204: { description: "Removed" }, 404: { description: "No such mapping" } },
      async handler({ res, actor, params }) {
        await unmapControl(deps, actor, { controlId: params.id, requirementId: params.requirementId });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/:id/mappings",
      summary: "Export the mappings into a framework as an OSCAL 1.2 mapping-collection",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      query: MappingExportQuerySchema,
      responses: {
        200: { description: "`{ mapping-collection }`", schema: OscalDocumentSchema },
        404: { description: "No such framework, or nothing is mapped to it" },
      },
      async handler({ res, params, query }) {
        res.json(await exportMappings(deps, { frameworkId: params.id, catalogId: query.catalogId ?? null }));
      },
    }),
    defineRoute({
      method: "post",
      path: "/frameworks/:id/mappings",
      summary:
        "Import an OSCAL 1.2 mapping-collection: STATUS controls (by id) to the framework's requirements (by key)",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: IdParamsSchema,
      query: ImportMappingsQuerySchema,
      body: ImportMappingsBodySchema,
      responses: {
        200: {
          description: "How many mappings were (for `dryRun=true`: would be) created and updated",
          schema: ImportMappingsResultSchema,
        },
        422: { description: "`oscal_invalid` by JSON path, or `import_invalid`: unknown controls or requirements" },
      },
      async handler({ res, actor, params, query, body }) {
        res.json(
          await importMappings(deps, actor, { frameworkId: params.id, document: body.document, dryRun: query.dryRun }),
        );
      },
    }),
  ];
}
