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

export const ComputationListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["windowStart", "createdAt"], "-windowStart"),
  status: z.enum(["pending", "ready", "failed"]).optional(),
});
export type ComputationListQuery = z.infer<typeof ComputationListQuerySchema>;
export const ComputationPageSchema = pageSchema(ComputationSchema);

/** What a mashup may post back asynchronously (the reference's status-storer format), per run. */
export const BulkComputationsBodySchema = z.object({
  computations: z
    .array(
      z
        .object({
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
