import {
  EvidenceImportQuerySchema,
  EvidenceImportResultSchema,
  EvidenceMappingBodySchema,
  EvidenceMappingListSchema,
  EvidenceMappingParamsSchema,
  EvidenceMappingSchema,
  IdParamsSchema,
  SCANNER_CONTENT_TYPES,
  SCANNER_FORMATS,
  type ScannerFormat,
} from "@status/shared";
import type { Request } from "express";
import type { AppDeps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { defineRoute, type ResponseSpec, type RouteDefinition } from "../../http/route.ts";
import { importToCatalog, importToControl } from "./evidence-import.service.ts";
import {
  createEvidenceMapping,
  deleteEvidenceMapping,
  listEvidenceMappings,
  updateEvidenceMapping,
} from "./evidence-mappings.service.ts";

/** Paths whose body is a scanner file: app.ts reads them as text, before the JSON parser. */
export const EVIDENCE_IMPORT_PATHS = ["/catalogs/:id/evidence/import", "/controls/:id/evidence/import"];

const ANY_FILE = "application/octet-stream";
const CONTENT_TYPES = [...new Set([...SCANNER_FORMATS.flatMap((format) => SCANNER_CONTENT_TYPES[format]), ANY_FILE])];

const IMPORT_BODY = {
  contentTypes: CONTENT_TYPES,
  description:
    "The scanner file as the tool wrote it: JSON for ocsf and sarif (application/sarif+json too), XML for junit, JSON or YAML for policyreport; application/octet-stream for any",
};

const IMPORT_RESPONSES: Record<number, ResponseSpec> = {
  200: { description: "The preview (dryRun=true), or what was imported", schema: EvidenceImportResultSchema },
  400: { description: "`import_format_invalid`: the file is not of the format named, with the reason" },
  404: { description: "No such catalog or control" },
  409: { description: "`archived`: a target control is archived; `window_outside_life`" },
  413: { description: "`payload_too_large` (over EVIDENCE_IMPORT_MAX_BYTES) or `import_too_large` (too many results)" },
  415: { description: "`unsupported_media_type`: not a content type of the format" },
  422: {
    description:
      "`import_target_not_push` (a target control has a mashup), `scope_required` / `scope_mismatch` (a control with scope sets)",
  },
};

/** The file as text, in a content type of its format; nothing was read when the body is empty or not text. */
function fileOf(req: Request, format: ScannerFormat): string {
  const allowed = [...SCANNER_CONTENT_TYPES[format], ANY_FILE];
  if (!req.is(allowed))
    throw new AppError(
      415,
      "unsupported_media_type",
      "Unsupported media type",
      `Send a ${format} file as ${allowed.join(", ")}`,
    );
  const body: unknown = req.body;
  if (typeof body !== "string" || body.length === 0)
    throw new AppError(
      400,
      "import_format_invalid",
      "Scanner file not readable",
      "The request has no file in its body",
    );
  return body;
}

export function evidenceImportRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/catalogs/:id/evidence-mappings",
      summary: "The catalog's scanner rule → control mappings (exact rule ids or globs, optionally for one format)",
      tag: "Evidence import",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "The mappings", schema: EvidenceMappingListSchema },
        404: { description: "No such catalog" },
      },
      async handler({ res, params }) {
        res.json({ items: await listEvidenceMappings(deps, params.id) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/evidence-mappings",
      summary: "Map a scanner rule id or glob (optionally of one format) to a control of the catalog",
      tag: "Evidence import",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: EvidenceMappingBodySchema,
      responses: {
        201: { description: "The mapping", schema: EvidenceMappingSchema },
        404: { description: "No such catalog" },
        409: { description: "`duplicate`: the catalog maps this pattern and format already" },
      },
      async handler({ res, actor, params, body }) {
        const mapping = await createEvidenceMapping(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/catalogs/${params.id}/evidence-mappings/${mapping.id}`).json(mapping);
      },
    }),
    defineRoute({
      method: "put",
      path: "/catalogs/:id/evidence-mappings/:mappingId",
      summary: "Change a mapping's pattern, format or control",
      tag: "Evidence import",
      access: "DEVELOPER",
      params: EvidenceMappingParamsSchema,
      body: EvidenceMappingBodySchema,
      responses: {
        200: { description: "The mapping", schema: EvidenceMappingSchema },
        404: { description: "No such catalog or mapping" },
        409: { description: "`duplicate`: the catalog maps this pattern and format already" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await updateEvidenceMapping(deps, actor, params.id, params.mappingId, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/catalogs/:id/evidence-mappings/:mappingId",
      summary: "Remove a mapping (future imports only: evidence already imported stays)",
      tag: "Evidence import",
      access: "DEVELOPER",
      params: EvidenceMappingParamsSchema,
      responses: {
        204: { description: "Removed" },
        404: { description: "No such catalog or mapping" },
      },
      async handler({ res, actor, params }) {
        await deleteEvidenceMapping(deps, actor, params.id, params.mappingId);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "post",
      path: EVIDENCE_IMPORT_PATHS[0]!,
      summary:
        "Import a scanner file (?format=ocsf|junit|policyreport|sarif): each result to the control the catalog's mappings name, one push submission per control; ?dryRun=true previews",
      tag: "Evidence import",
      access: "DEVELOPER",
      tokenScope: "evidence:write",
      params: IdParamsSchema,
      query: EvidenceImportQuerySchema,
      rawBody: IMPORT_BODY,
      responses: IMPORT_RESPONSES,
      async handler({ req, res, actor, params, query }) {
        const source = fileOf(req, query.format);
        res.json(
          await importToCatalog(deps, actor, params.id, { format: query.format, source, isDryRun: query.dryRun }),
        );
      },
    }),
    defineRoute({
      method: "post",
      path: EVIDENCE_IMPORT_PATHS[1]!,
      summary:
        "Import a scanner file (?format=…) as evidence of this one push control, every result of the file mapped to it; ?dryRun=true previews",
      tag: "Evidence import",
      access: "DEVELOPER",
      tokenScope: "evidence:write",
      params: IdParamsSchema,
      query: EvidenceImportQuerySchema,
      rawBody: IMPORT_BODY,
      responses: IMPORT_RESPONSES,
      async handler({ req, res, actor, params, query }) {
        const source = fileOf(req, query.format);
        res.json(
          await importToControl(deps, actor, params.id, { format: query.format, source, isDryRun: query.dryRun }),
        );
      },
    }),
  ];
}
