import {
  CatalogFromFrameworkBodySchema,
  CatalogFromFrameworkResultSchema,
  ComplianceQuerySchema,
  FrameworkComplianceSchema,
  FrameworkDetailSchema,
  FrameworkListQuerySchema,
  FrameworkPageSchema,
  IdParamsSchema,
  ImportAnswerSchema,
  ImportJobSchema,
  ImportFrameworkBodySchema,
  ImportFrameworkQuerySchema,
  ImportResultSchema,
  LibraryListSchema,
  LibraryParamsSchema,
  OscalDocumentSchema,
  RequirementListQuerySchema,
  RequirementSearchPageSchema,
  RequirementSearchQuerySchema,
  RequirementTreePageSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { createCatalogFromFramework } from "./catalog-from-framework.service.ts";
import { getFrameworkCompliance } from "./compliance.service.ts";
import { getFramework, listAllFrameworks, listRequirementTree, searchAllRequirements } from "./frameworks.service.ts";
import { exportFrameworkCatalog } from "./export.service.ts";
import { importFramework } from "./import.service.ts";
import { getImportJob, startImportJob } from "./import-jobs.service.ts";
import { installLibraryFramework, listLibrary } from "./library.service.ts";

/** The import route takes bodies up to this size (app.ts mounts a parser with it for DEVELOPER and above). */
export const FRAMEWORK_IMPORT_PATH = "/frameworks/import";
export const FRAMEWORK_IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export function frameworkRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/frameworks",
      summary: "List frameworks",
      tag: "Frameworks",
      access: "USER",
      query: FrameworkListQuerySchema,
      responses: { 200: { description: "A page of frameworks", schema: FrameworkPageSchema } },
      async handler({ res, query }) {
        res.json(await listAllFrameworks(deps, query));
      },
    }),
    defineRoute({
      method: "post",
      path: FRAMEWORK_IMPORT_PATH,
      summary:
        "Import a framework: an OSCAL catalog, an OSCAL profile resolved against an imported framework, CSV or XLSX",
      tag: "Frameworks",
      access: "DEVELOPER",
      query: ImportFrameworkQuerySchema,
      body: ImportFrameworkBodySchema,
      responses: {
        200: {
          description: "`dryRun=true`: the preview (`dryRun: true`); otherwise the framework updated in place",
          schema: ImportAnswerSchema,
        },
        201: { description: "A new framework", schema: ImportResultSchema },
        202: {
          description:
            "A large body (FRAMEWORK_IMPORT_JOB_MIN_BYTES) or `async=true`: the import runs as a job (`Location`)",
          schema: ImportJobSchema,
        },
        404: { description: "The profile's framework does not exist" },
        413: { description: "The body exceeds 50 MB" },
        422: {
          description:
            "`oscal_invalid` (schema errors by JSON path), `oscal_version_unsupported`, `profile_unsupported`, `import_invalid` (bad rows by number)",
        },
      },
      async handler({ req, res, actor, query, body }) {
        const bodyBytes = Number(req.get("content-length") ?? Buffer.byteLength(JSON.stringify(body)));
        if (!query.dryRun && (query.async || bodyBytes >= deps.config.frameworks.importJobMinBytes)) {
          const job = await startImportJob(deps, actor, { body, bodyBytes });
          res.status(202).location(`/api/v1/frameworks/import/jobs/${job.id}`).json(job);
          return;
        }
        const { isNew, ...answer } = await importFramework(deps, actor, { body, dryRun: query.dryRun });
        if (isNew && !answer.dryRun) res.status(201).location(`/api/v1/frameworks/${answer.framework.id}`);
        res.json(answer);
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/import/jobs/:id",
      summary: "An import job's progress: status, requirements stored of the total, and the result or the problem",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: {
        200: { description: "The job", schema: ImportJobSchema },
        404: { description: "No such job" },
      },
      async handler({ res, params }) {
        res.json(await getImportJob(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/library",
      summary: "The frameworks bundled with STATUS (installable without network)",
      tag: "Frameworks",
      access: "USER",
      responses: { 200: { description: "The library", schema: LibraryListSchema } },
      async handler({ res }) {
        res.json({ items: await listLibrary(deps) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/frameworks/library/:name/install",
      summary: "Install a bundled framework (again: updated in place)",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: LibraryParamsSchema,
      responses: {
        200: { description: "Installed already: updated in place", schema: ImportResultSchema },
        201: { description: "Installed", schema: ImportResultSchema },
        404: { description: "No such library framework" },
      },
      async handler({ res, actor, params }) {
        const { isNew, ...answer } = await installLibraryFramework(deps, actor, params.name);
        if (isNew && !answer.dryRun) res.status(201).location(`/api/v1/frameworks/${answer.framework.id}`);
        res.json(answer);
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/:id/oscal",
      summary: "Export a framework as an OSCAL 1.2.1 catalog",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "`{ catalog }`", schema: OscalDocumentSchema } },
      async handler({ res, params }) {
        res.json(await exportFrameworkCatalog(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/:id",
      summary: "Get a framework with its groups",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The framework", schema: FrameworkDetailSchema } },
      async handler({ res, params }) {
        res.json(await getFramework(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/:id/requirements",
      summary: "A page of a framework's requirement tree, filtered by search and group",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      query: RequirementListQuerySchema,
      responses: {
        200: { description: "Top-level requirements with their children", schema: RequirementTreePageSchema },
      },
      async handler({ res, params, query }) {
        res.json(await listRequirementTree(deps, params.id, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/frameworks/:id/compliance",
      summary: "Each requirement's status over a period from the controls mapped to it, counted per group and overall",
      tag: "Frameworks",
      access: "USER",
      params: IdParamsSchema,
      query: ComplianceQuerySchema,
      responses: { 200: { description: "The roll-up", schema: FrameworkComplianceSchema } },
      async handler({ res, params, query }) {
        res.json(await getFrameworkCompliance(deps, { frameworkId: params.id, query }));
      },
    }),
    defineRoute({
      method: "post",
      path: "/frameworks/:id/catalogs",
      summary: "Start a draft catalog from a framework: one draft control per picked requirement, mapped to it",
      tag: "Frameworks",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CatalogFromFrameworkBodySchema,
      responses: {
        201: { description: "The draft catalog", schema: CatalogFromFrameworkResultSchema },
        409: { description: "A catalog with that name exists" },
      },
      async handler({ res, actor, params, body }) {
        const result = await createCatalogFromFramework(deps, actor, { frameworkId: params.id, body });
        res.status(201).location(`/api/v1/catalogs/${result.catalog.id}`).json(result);
      },
    }),
    defineRoute({
      method: "get",
      path: "/requirements",
      summary: "Search requirements across frameworks",
      tag: "Frameworks",
      access: "USER",
      query: RequirementSearchQuerySchema,
      responses: { 200: { description: "A page of requirements", schema: RequirementSearchPageSchema } },
      async handler({ res, query }) {
        res.json(await searchAllRequirements(deps, query));
      },
    }),
  ];
}
