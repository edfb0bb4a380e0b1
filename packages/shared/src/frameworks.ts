import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, SearchTermSchema, pageSchema } from "./common.ts";
import { CatalogSchema, TimeZoneSchema } from "./catalogs.ts";
import { PeriodSchema, ThresholdSchema } from "./controls.ts";
import { ProblemDetailsSchema } from "./problem.ts";

/** Where a framework's requirements came from. `library` is a framework bundled with STATUS (no network). */
export const FrameworkSourceSchema = z.enum(["oscal-catalog", "oscal-profile", "csv", "xlsx", "library"]);
export type FrameworkSource = z.infer<typeof FrameworkSourceSchema>;

/**
 * A framework (ISO 27001, SOC 2, NIST SP 800-53…): a versioned set of requirements, read-only once imported. It is
 * identified by its name and version; importing the same name and version again updates it in place.
 */
export const FrameworkSchema = z.object({
  id: IdSchema,
  name: z.string(),
  version: z.string(),
  description: z.string(),
  source: FrameworkSourceSchema,
  oscalVersion: z.string().nullable().describe("The OSCAL version the imported document declared; null for sheets"),
  sourceUuid: z.string().nullable().describe("The OSCAL document's uuid, kept for export"),
  resolvedFromId: IdSchema.nullable().describe("For a profile: the framework it was resolved against"),
  requirementCount: z.number().int().min(0),
  groupCount: z.number().int().min(0),
  importedBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Framework = z.infer<typeof FrameworkSchema>;

export const FrameworkListQuerySchema = z.strictObject({
  ...PageQueryShape,
  q: SearchTermSchema,
});
export type FrameworkListQuery = z.infer<typeof FrameworkListQuerySchema>;
export const FrameworkPageSchema = pageSchema(FrameworkSchema);

/** A group of requirements (an OSCAL group, a spreadsheet's group column); groups may nest. */
export const FrameworkGroupSchema = z.object({
  id: z.string().describe("The group's id in the framework, e.g. `ac`"),
  title: z.string(),
  parentId: z.string().nullable(),
  requirementCount: z.number().int().min(0).describe("Requirements in the group, enhancements included"),
});
export type FrameworkGroup = z.infer<typeof FrameworkGroupSchema>;

/** A framework with its groups, as `GET /frameworks/:id` answers. */
export const FrameworkDetailSchema = FrameworkSchema.extend({ groups: z.array(FrameworkGroupSchema) });
export type FrameworkDetail = z.infer<typeof FrameworkDetailSchema>;

/** A requirement's parameter (an OSCAL `param`): `{{ insert: param, <id> }}` in the statement refers to it. */
export const RequirementParamSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  values: z.array(z.string()).describe("Set values (a profile's set-parameters replaces them)"),
  choices: z.array(z.string()).nullable().describe("The allowed choices of a `select`, when the parameter has one"),
  howMany: z.enum(["one", "one-or-more"]).nullable(),
});
export type RequirementParam = z.infer<typeof RequirementParamSchema>;

/**
 * A requirement as an import stores it, before it has a database id: also the rows a dry run shows. `key` is the
 * requirement's id in its framework (`ac-2.1`, `CC8.1`); `parentKey` makes enhancements children of their control.
 */
export const RequirementDraftSchema = z.object({
  key: z.string(),
  label: z.string().nullable().describe("How people write it, e.g. `AC-2(1)`"),
  title: z.string(),
  statement: z.string(),
  guidance: z.string(),
  groupId: z.string().nullable(),
  parentKey: z.string().nullable(),
  className: z.string().nullable().describe("OSCAL `class`, e.g. `SP800-53-enhancement`"),
  position: z.number().int().min(0).describe("Order within the framework"),
  params: z.array(RequirementParamSchema),
});
export type RequirementDraft = z.infer<typeof RequirementDraftSchema>;

export const RequirementSchema = RequirementDraftSchema.extend({
  id: IdSchema,
  frameworkId: IdSchema,
  groupTitle: z.string().nullable(),
  depth: z.number().int().min(0).describe("0 for a top-level requirement, 1 for an enhancement…"),
});
export type Requirement = z.infer<typeof RequirementSchema>;

/** A requirement with its children; `isMatch` says whether it matched the search itself or only holds matches. */
export type RequirementNode = Requirement & { isMatch: boolean; children: RequirementNode[] };
export const RequirementNodeSchema: z.ZodType<RequirementNode> = RequirementSchema.extend({
  isMatch: z.boolean(),
  get children() {
    return z.array(RequirementNodeSchema);
  },
}).meta({ id: "RequirementNode" });

/**
 * `GET /frameworks/:id/requirements`: pages over top-level requirements in framework order. With `search` or
 * `group`, a top-level requirement is listed when it or one of its descendants matches, and only matching branches
 * are kept under it.
 */
export const RequirementListQuerySchema = z.strictObject({
  ...PageQueryShape,
  search: SearchTermSchema.describe("Matches key, label, title and statement (case-insensitive)"),
  group: z.string().trim().min(1).max(100).optional().describe("A group id; its subgroups are included"),
});
export type RequirementListQuery = z.infer<typeof RequirementListQuerySchema>;
export const RequirementTreePageSchema = pageSchema(RequirementNodeSchema).extend({
  matchCount: z.number().int().min(0).describe("Requirements (at any depth) that match the filters"),
});
export type RequirementTreePage = z.infer<typeof RequirementTreePageSchema>;

/** Search across every framework (the control page's mapping picker): a flat page of requirements. */
export const RequirementSearchQuerySchema = z.strictObject({
  ...PageQueryShape,
  q: SearchTermSchema,
  frameworkId: IdSchema.optional(),
});
export type RequirementSearchQuery = z.infer<typeof RequirementSearchQuerySchema>;
export const RequirementSearchItemSchema = RequirementSchema.extend({
  frameworkName: z.string(),
  frameworkVersion: z.string(),
});
export const RequirementSearchPageSchema = pageSchema(RequirementSearchItemSchema);

// ---------------------------------------------------------------------------------------------------------------
// Import

/** Which column of a sheet holds which field. Defaults: `id`, `title`, `description`, `group` (case-insensitive). */
export const ColumnMappingSchema = z.strictObject({
  id: z.string().trim().min(1).max(200).default("id"),
  title: z.string().trim().min(1).max(200).default("title"),
  description: z.string().trim().min(1).max(200).default("description"),
  group: z.string().trim().min(1).max(200).default("group"),
  label: z.string().trim().min(1).max(200).optional(),
  guidance: z.string().trim().min(1).max(200).optional(),
  parent: z.string().trim().min(1).max(200).optional().describe("A column naming the parent requirement's id"),
});
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

const FrameworkNameShape = {
  name: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(100),
  description: z.string().trim().max(5000).default(""),
};

/** An OSCAL catalog (JSON), validated against the OSCAL 1.2.1 schema; documents of OSCAL 1.0.x–1.2.x are accepted. */
export const OscalCatalogImportSchema = z.strictObject({
  format: z.literal("oscal-catalog"),
  document: z.record(z.string(), z.unknown()).describe("The OSCAL document: `{ catalog: { … } }`"),
});

/**
 * An OSCAL profile resolved against a framework already imported (`frameworkId`). Supported: `imports` of that
 * catalog with `include-all` or `include-controls` by `with-ids` (and `with-child-controls`), `exclude-controls` by
 * `with-ids`, and `modify.set-parameters` (values, label, select). Anything else is refused with a problem naming it.
 */
export const OscalProfileImportSchema = z.strictObject({
  format: z.literal("oscal-profile"),
  document: z.record(z.string(), z.unknown()).describe("The OSCAL document: `{ profile: { … } }`"),
  frameworkId: IdSchema.describe("The imported framework the profile's import resolves to"),
});

/** A CSV sheet: a header row, then one requirement per row. */
export const CsvImportSchema = z.strictObject({
  format: z.literal("csv"),
  ...FrameworkNameShape,
  content: z.string().min(1).describe("The CSV text (UTF-8, `,` or `;` separated, header row first)"),
  columns: ColumnMappingSchema.default(ColumnMappingSchema.parse({})),
});

/** An XLSX workbook (read with exceljs), base64-encoded: the first sheet, or `sheet` by name. */
export const XlsxImportSchema = z.strictObject({
  format: z.literal("xlsx"),
  ...FrameworkNameShape,
  contentBase64: z.base64().min(1),
  sheet: z.string().trim().min(1).max(100).optional(),
  columns: ColumnMappingSchema.default(ColumnMappingSchema.parse({})),
});

export const ImportFrameworkBodySchema = z.discriminatedUnion("format", [
  OscalCatalogImportSchema,
  OscalProfileImportSchema,
  CsvImportSchema,
  XlsxImportSchema,
]);
export type ImportFrameworkBody = z.infer<typeof ImportFrameworkBodySchema>;

export const ImportFrameworkQuerySchema = z.strictObject({
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  async: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .describe("Run the import as a job (202) whatever its size; large bodies always do"),
});
export type ImportFrameworkQuery = z.infer<typeof ImportFrameworkQuerySchema>;

/**
 * One thing wrong with an import: `path` is a JSON path (`$.catalog.controls[3].id`) for OSCAL, or `row` (the
 * sheet's row number, the header being row 1) and `column` for sheets. Errors stop an import; warnings do not.
 */
export const ImportProblemSchema = z.object({
  severity: z.enum(["error", "warning"]),
  code: z.string().describe("e.g. `schema`, `missing_id`, `duplicate_id`, `unknown_parent`, `unsupported`"),
  message: z.string(),
  path: z.string().nullable(),
  row: z.number().int().min(1).nullable(),
  column: z.string().nullable(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportCountsSchema = z.object({
  requirements: z.number().int().min(0),
  topLevel: z.number().int().min(0),
  children: z.number().int().min(0).describe("Enhancements and other requirements with a parent"),
  groups: z.number().int().min(0),
  params: z.number().int().min(0),
  created: z.number().int().min(0).describe("Requirements that are new (for a dry run: would be)"),
  updated: z.number().int().min(0).describe("Requirements already stored under the same key whose content changes"),
  unchanged: z.number().int().min(0),
});
export type ImportCounts = z.infer<typeof ImportCountsSchema>;

/** The framework an import describes (or would describe), before and whether or not it is stored. */
export const ImportedFrameworkSummarySchema = z.object({
  name: z.string(),
  version: z.string(),
  source: FrameworkSourceSchema,
  oscalVersion: z.string().nullable(),
  existingFrameworkId: IdSchema.nullable().describe("Set when this name and version is stored already"),
});

export const PREVIEW_ROW_COUNT = 20;

/** `?dryRun=true`: what the import would store, without storing anything. */
export const ImportPreviewSchema = z.object({
  dryRun: z.literal(true),
  framework: ImportedFrameworkSummarySchema,
  counts: ImportCountsSchema,
  firstRequirements: z.array(RequirementDraftSchema).describe(`The first ${PREVIEW_ROW_COUNT} rows as stored`),
  problems: z.array(ImportProblemSchema).describe("Every problem found"),
  canImport: z.boolean().describe("False when a problem is an error"),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/** A stored import: 201 for a new framework, 200 when the same name and version was updated in place. */
export const ImportResultSchema = z.object({
  dryRun: z.literal(false),
  framework: FrameworkSchema,
  counts: ImportCountsSchema,
  problems: z.array(ImportProblemSchema).describe("Warnings only; errors refuse the import"),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const ImportAnswerSchema = z.union([ImportPreviewSchema, ImportResultSchema]);
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

export const ImportJobStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);
export type ImportJobStatus = z.infer<typeof ImportJobStatusSchema>;

/**
 * A large import running on the queue (`202` from the import route, `GET /frameworks/import/jobs/:id`). `processed`
 * counts the requirements stored of `total` (null until the document is read); a worker that dies mid-job is replaced
 * and the job starts again from the stored document, so `processed` may go back to 0 with `attempts` going up.
 */
export const ImportJobSchema = z.object({
  id: IdSchema,
  status: ImportJobStatusSchema,
  format: z.enum(["oscal-catalog", "oscal-profile", "csv", "xlsx"]),
  bodyBytes: z.number().int().min(0).describe("The size of the uploaded body"),
  attempts: z.number().int().min(0),
  processed: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  result: ImportResultSchema.nullable().describe("Set when `succeeded`"),
  problem: ProblemDetailsSchema.nullable().describe("Set when `failed`: the problem a synchronous import answers"),
  createdBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  startedAt: IsoDateTimeSchema.nullable(),
  finishedAt: IsoDateTimeSchema.nullable(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Bundled library

export const LibraryFrameworkSchema = z.object({
  name: z.string().describe("The library key, e.g. `nist-800-53-rev5-low`"),
  title: z.string(),
  version: z.string(),
  description: z.string(),
  oscalVersion: z.string(),
  requirementCount: z.number().int().min(0),
  groupCount: z.number().int().min(0),
  installedFrameworkId: IdSchema.nullable(),
});
export type LibraryFramework = z.infer<typeof LibraryFrameworkSchema>;
export const LibraryListSchema = z.object({ items: z.array(LibraryFrameworkSchema) });
export const LibraryParamsSchema = z.strictObject({
  name: z
    .string()
    .max(100)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "A library name such as nist-800-53-rev5-low"),
});

// ---------------------------------------------------------------------------------------------------------------
// Mappings (NIST IR 8477)

/**
 * How a STATUS control relates to a requirement (NIST IR 8477 set-theory relationships), read "control <relation>
 * requirement": `subset-of` means the control covers part of the requirement.
 */
export const MappingRelationshipSchema = z.enum(["equivalent-to", "subset-of", "superset-of", "intersects-with"]);
export type MappingRelationship = z.infer<typeof MappingRelationshipSchema>;

export const ControlRequirementMappingSchema = z.object({
  id: IdSchema,
  controlId: IdSchema,
  requirementId: IdSchema,
  frameworkId: IdSchema,
  frameworkName: z.string(),
  frameworkVersion: z.string(),
  requirementKey: z.string(),
  requirementLabel: z.string().nullable(),
  requirementTitle: z.string(),
  relationship: MappingRelationshipSchema,
  rationale: z.string().nullable(),
  createdBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
});
export type ControlRequirementMapping = z.infer<typeof ControlRequirementMappingSchema>;
export const ControlRequirementMappingListSchema = z.object({ items: z.array(ControlRequirementMappingSchema) });

/** Map a control to a requirement; mapping the same pair again replaces its relationship and rationale. */
export const CreateMappingBodySchema = z.strictObject({
  requirementId: IdSchema,
  relationship: MappingRelationshipSchema,
  rationale: z.string().trim().max(2000).nullable().default(null),
});
export type CreateMappingBody = z.infer<typeof CreateMappingBodySchema>;

export const MappingParamsSchema = z.strictObject({ id: IdSchema, requirementId: IdSchema });

/** Export of a framework's mappings as an OSCAL 1.2 mapping-collection, optionally limited to one catalog. */
export const MappingExportQuerySchema = z.strictObject({ catalogId: IdSchema.optional() });

/**
 * Import of an OSCAL 1.2 mapping-collection: each map's source is a STATUS control (by its id) and its target a
 * requirement of the framework (by key). Maps that name an unknown control or requirement are listed as problems.
 */
export const ImportMappingsBodySchema = z.strictObject({
  document: z.record(z.string(), z.unknown()).describe("`{ mapping-collection: { … } }`"),
});
export const ImportMappingsQuerySchema = z.strictObject({
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .describe("Check the document and count what would change, storing nothing"),
});
export const ImportMappingsResultSchema = z.object({
  dryRun: z.boolean(),
  created: z.number().int().min(0).describe("Mappings that are new (for a dry run: would be)"),
  updated: z.number().int().min(0).describe("Mappings of pairs already mapped, whose relationship is replaced"),
  problems: z.array(ImportProblemSchema),
});
export type ImportMappingsResult = z.infer<typeof ImportMappingsResultSchema>;

/** An OSCAL JSON document as the export routes answer it (validated against the official schema in tests). */
export const OscalDocumentSchema = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------------------------------------------------------
// Roll-up

/**
 * A requirement's state over a period: `satisfied` when every mapped control passed, `not-satisfied` when one
 * failed, `not-assessed` when none failed but some mapped control (or every one, or none is mapped) was not evaluated.
 */
export const RequirementStatusSchema = z.enum(["satisfied", "not-satisfied", "not-assessed"]);
export type RequirementStatus = z.infer<typeof RequirementStatusSchema>;

/** A mapped control over the period: `fail` with any failing point, `pass` with passing ones only. */
export const MappedControlStatusSchema = z.enum(["pass", "fail", "not-evaluated"]);

export const ComplianceQuerySchema = z
  .strictObject({
    from: IsoDateTimeSchema,
    to: IsoDateTimeSchema,
    catalogId: IdSchema.optional().describe("Only controls of this catalog count"),
  })
  .refine((value) => Date.parse(value.to) > Date.parse(value.from), { message: "Must be after from", path: ["to"] });
export type ComplianceQuery = z.infer<typeof ComplianceQuerySchema>;

export const StatusCountsSchema = z.object({
  total: z.number().int().min(0),
  satisfied: z.number().int().min(0),
  notSatisfied: z.number().int().min(0),
  notAssessed: z.number().int().min(0),
  mapped: z.number().int().min(0).describe("Requirements with at least one mapped control"),
});
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const RequirementComplianceSchema = z.object({
  requirementId: IdSchema,
  key: z.string(),
  label: z.string().nullable(),
  title: z.string(),
  groupId: z.string().nullable(),
  parentKey: z.string().nullable(),
  status: RequirementStatusSchema,
  controls: z.array(
    z.object({
      controlId: IdSchema,
      name: z.string(),
      catalogId: IdSchema,
      relationship: MappingRelationshipSchema,
      status: MappedControlStatusSchema,
      passCount: z.number().int().min(0),
      failCount: z.number().int().min(0),
    }),
  ),
});
export type RequirementCompliance = z.infer<typeof RequirementComplianceSchema>;

export const FrameworkComplianceSchema = z.object({
  frameworkId: IdSchema,
  from: IsoDateTimeSchema,
  to: IsoDateTimeSchema,
  catalogId: IdSchema.nullable(),
  overall: StatusCountsSchema,
  groups: z
    .array(z.object({ groupId: z.string(), title: z.string(), counts: StatusCountsSchema }))
    .describe("Counts per group; a group counts the requirements of its nested groups too"),
  requirements: z.array(RequirementComplianceSchema),
});
export type FrameworkCompliance = z.infer<typeof FrameworkComplianceSchema>;

// ---------------------------------------------------------------------------------------------------------------
// A catalog from a framework

/**
 * Which requirements become draft controls: every one (`all`, e.g. a whole baseline), whole groups, or single
 * requirements; the union of what is given. Enhancements come with their group; single picks stand alone.
 */
export const RequirementSelectionSchema = z
  .strictObject({
    all: z.boolean().default(false),
    groupIds: z.array(z.string().min(1).max(100)).max(500).default([]),
    requirementIds: z.array(IdSchema).max(5000).default([]),
  })
  .refine((value) => value.all || value.groupIds.length > 0 || value.requirementIds.length > 0, {
    message: "Pick all, some groups or some requirements",
  });

/** `POST /frameworks/:id/catalogs`: a draft catalog with one draft control per picked requirement, mapped to it. */
export const CatalogFromFrameworkBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(""),
  timeZone: TimeZoneSchema.default("UTC"),
  period: PeriodSchema.default("MONTHLY"),
  threshold: ThresholdSchema.default(100),
  relationship: MappingRelationshipSchema.default("equivalent-to"),
  selection: RequirementSelectionSchema,
});
export type CatalogFromFrameworkBody = z.infer<typeof CatalogFromFrameworkBodySchema>;

export const CatalogFromFrameworkResultSchema = z.object({
  catalog: CatalogSchema,
  controlCount: z.number().int().min(0),
  mappingCount: z.number().int().min(0),
});
export type CatalogFromFrameworkResult = z.infer<typeof CatalogFromFrameworkResultSchema>;
