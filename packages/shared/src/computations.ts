import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { PointHandlingSchema } from "./handling.ts";

/** pass | fail | error | not_applicable. An evidence list with nothing applicable never counts as a pass. */
export const EvidenceResultSchema = z.enum(["pass", "fail", "error", "not_applicable"]);
export type EvidenceResult = z.infer<typeof EvidenceResultSchema>;

export const ComplianceResultSchema = z.enum(["pass", "fail", "not_applicable"]);
export type ComplianceResult = z.infer<typeof ComplianceResultSchema>;

export const EvidenceSchema = z.object({
  position: z.number().int(),
  key: z.string(),
  value: z.unknown(),
  result: EvidenceResultSchema,
  from: IsoDateTimeSchema.nullable(),
  to: IsoDateTimeSchema.nullable(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/**
 * Whether a computation made a guarantee point: `recorded` (it has one), `draft` (a draft control's or catalog's run,
 * evaluated but never recorded), `provisional` (a window still open) or `not_recorded` (pending, failed, or a window
 * that already had its point).
 */
export const ComputationRecordingSchema = z.enum(["recorded", "draft", "provisional", "not_recorded"]);
export type ComputationRecording = z.infer<typeof ComputationRecordingSchema>;

export const ComputationSchema = z.object({
  id: IdSchema,
  runId: IdSchema,
  controlId: IdSchema,
  scope: z.record(z.string(), z.unknown()),
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  isProvisional: z.boolean(),
  status: z.enum(["pending", "ready", "failed"]),
  flowValue: z.unknown(),
  evidenceCount: z.number().int(),
  passCount: z.number().int(),
  failCount: z.number().int(),
  errorCount: z.number().int(),
  notApplicableCount: z.number().int(),
  compliance: z.number().nullable().describe("Percent of applicable evidences that passed"),
  result: ComplianceResultSchema.nullable(),
  controlVersion: z
    .number()
    .int()
    .nullable()
    .describe("The control version it was computed under; null for a draft, a pending or failed run, or older data"),
  pointId: IdSchema.nullable(),
  handling: PointHandlingSchema.nullable().describe("How its point is being handled; null without a point"),
  recording: ComputationRecordingSchema,
  createdAt: IsoDateTimeSchema,
  completedAt: IsoDateTimeSchema.nullable(),
  detailPrunedAt: IsoDateTimeSchema.nullable().describe(
    "When retention removed its evidences and raw flow output; its counts, digest and point stay",
  ),
});
export type Computation = z.infer<typeof ComputationSchema>;

/** The registry-compatible aggregate (POST-GET-V1-STATUS collector): value is the compliance percentage. */
export const CollectorComputationSchema = z.object({
  id: IdSchema,
  controlId: IdSchema,
  scope: z.record(z.string(), z.unknown()),
  period: z.object({ from: IsoDateTimeSchema, to: IsoDateTimeSchema }),
  value: z.number(),
  evidences: z.array(EvidenceSchema),
});

export const ComputationDetailSchema = ComputationSchema.extend({
  evidences: z.array(EvidenceSchema),
  code: z.literal(200),
  message: z.literal("OK"),
  computations: z.array(CollectorComputationSchema).describe("The same result in the reference collector's format"),
});
export type ComputationDetail = z.infer<typeof ComputationDetailSchema>;

/** A computation's outcome as the history filters it: its compliance result, or `error` for a failed run. */
export const ComputationResultFilterSchema = z.enum(["pass", "fail", "not_applicable", "error"]);
export type ComputationResultFilter = z.infer<typeof ComputationResultFilterSchema>;

/** `key:value` pairs, comma-separated; a computation matches when its scope has every one of them. */
export const ScopePairsFilterSchema = z
  .string()
  .max(500)
  .regex(/^[a-z][a-z0-9_]*:[^,]+(,[a-z][a-z0-9_]*:[^,]+)*$/, "Use key:value, comma-separated for several")
  .describe("key:value pairs, e.g. team:payments or team:payments,repository:api");

export const ComputationListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["windowStart", "createdAt", "compliance", "result"], "-windowStart"),
  status: z.enum(["pending", "ready", "failed"]).optional(),
  result: ComputationResultFilterSchema.optional().describe("pass, fail, not_applicable, or error (a failed run)"),
  scope: ScopePairsFilterSchema.optional(),
  around: IdSchema.optional().describe(
    "Answer the page that holds this computation under the same filters and sort (page is then ignored); the requested page when it is not among them",
  ),
});
export type ComputationListQuery = z.infer<typeof ComputationListQuerySchema>;
export const ComputationPageSchema = pageSchema(ComputationSchema);

/** `GET /controls/:id/computation-scopes`: every scope the control was computed for, with how many computations. */
export const ComputationScopesSchema = z.object({
  items: z.array(z.object({ scope: z.record(z.string(), z.unknown()), count: z.number().int().min(0) })),
});
export type ComputationScopes = z.infer<typeof ComputationScopesSchema>;

/**
 * What a mashup may post back asynchronously (the reference's status-storer format), per run. With the run's callback
 * token the token names the run; with a personal API token the first item's `computationGroup` does (the run id, sent
 * to the flow as `computationGroup`). The reference's `period` fills the evidences' own `from`/`to` when they have
 * none; its `controlId` is informational (the run names the control).
 */
export const BulkComputationsBodySchema = z.object({
  computations: z
    .array(
      z
        .object({
          computationGroup: IdSchema.optional().describe("The run the items belong to (the reference's group id)"),
          controlId: z.union([z.string().max(100), z.number()]).optional(),
          period: z.object({ from: z.string().max(40).optional(), to: z.string().max(40).optional() }).optional(),
          value: z.unknown().optional(),
          scope: z.record(z.string(), z.unknown()).optional(),
          evidences: z.array(z.record(z.string(), z.unknown())).max(10_000).default([]),
        })
        .passthrough(),
    )
    .max(10_000),
  done: z.boolean().default(false),
});
export type BulkComputationsBody = z.infer<typeof BulkComputationsBodySchema>;

/** The registry's collector call: which metric to compute, for which scope and window. */
export const CollectorRequestSchema = z.object({
  metric: z
    .object({
      endpoint: z.string().max(500).optional(),
      params: z.record(z.string(), z.unknown()).default({}),
      scope: z.record(z.string(), z.unknown()).default({}),
      window: z
        .object({
          initial: IsoDateTimeSchema,
          end: IsoDateTimeSchema,
          period: z.string().max(40).optional(),
          type: z.string().max(40).optional(),
          timeZone: z.string().max(64).optional(),
        })
        .passthrough(),
    })
    .passthrough(),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type CollectorRequest = z.infer<typeof CollectorRequestSchema>;

export const CollectorAcceptedSchema = z.object({
  code: z.literal(201),
  message: z.literal("OK"),
  computation: z.string(),
});
