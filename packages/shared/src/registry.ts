import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema } from "./common.ts";
import { ComplianceResultSchema } from "./computations.ts";
import { KeysetPageShape, PageCursorSchema, PointSourceSchema } from "./points.ts";

/** Where a catalog's agreement stands in the Governify registry. */
export const PublicationStateSchema = z.enum([
  "not_configured",
  "unpublished",
  "pending",
  "published",
  "error",
  "archived",
]);
export type PublicationState = z.infer<typeof PublicationStateSchema>;

/**
 * A catalog's publication: `pending` while a publish (or a retry) is due, `published` once the registry holds the
 * current agreement, `error` with the registry's message while retries back off, `archived` while the catalog is
 * archived: the registry keeps the agreement as last published, and it is neither updated nor synced.
 */
export const RegistryPublicationSchema = z.object({
  catalogId: IdSchema,
  agreementId: z.string(),
  state: PublicationStateSchema,
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: IsoDateTimeSchema.nullable(),
  publishedAt: IsoDateTimeSchema.nullable(),
  /** SHA-256 of the agreement the registry last accepted. */
  publishedHash: z.string().nullable(),
  lastSyncedAt: IsoDateTimeSchema.nullable(),
  lastSyncError: z.string().nullable(),
});
export type RegistryPublication = z.infer<typeof RegistryPublicationSchema>;

/** Pull the registry's guarantee states of every window that closed within (from, to]. */
export const RegistrySyncBodySchema = z
  .strictObject({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })
  .refine((body) => Date.parse(body.to) > Date.parse(body.from), { message: "Must be after from", path: ["to"] });
export type RegistrySyncBody = z.infer<typeof RegistrySyncBodySchema>;

export const RegistrySyncResultSchema = z.object({
  catalogId: IdSchema,
  agreementId: z.string(),
  /** The periods asked of the registry, one request each. */
  windows: z.array(z.object({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })),
  /** Guarantee states the registry answered for our windows. */
  stateCount: z.number().int(),
  /** New points stored (source `registry`). */
  storedCount: z.number().int(),
  /** States whose point was already stored by an earlier sync. */
  existingCount: z.number().int(),
  /** States that could not be stored, and why (an unknown guarantee, a period that is not the control's window…). */
  skipped: z.array(z.object({ guaranteeId: z.string(), reason: z.string() })),
});
export type RegistrySyncResult = z.infer<typeof RegistrySyncResultSchema>;

/**
 * A date (`2025-01-01`, UTC) or a full ISO 8601 instant, as integrators write them in a query string. A date as the
 * end of a range includes that day (`to=2025-12-31` reaches the end of 31 December), as people read such ranges.
 */
function dateOrInstantSchema(edge: "start" | "end") {
  return z
    .union([z.iso.date(), IsoDateTimeSchema], { message: "Must be a date (2025-01-01) or an ISO 8601 date-time" })
    .transform((value) => {
      if (value.length !== 10) return new Date(value).toISOString();
      const midnight = Date.parse(`${value}T00:00:00Z`);
      return new Date(edge === "start" ? midnight : midnight + 86_400_000).toISOString();
    });
}

/** `environment:production`: one scope key and its value. */
const ScopeFilterSchema = z
  .string()
  .max(200)
  .regex(/^[a-z][a-z0-9_]*:.+$/, "Use key:value")
  .describe("key:value, e.g. environment:production");

const RegistryFiltersShape = {
  ...PageQueryShape,
  from: dateOrInstantSchema("start")
    .optional()
    .describe("Windows starting at or after (a date means its midnight, UTC)"),
  to: dateOrInstantSchema("end").optional().describe("Windows starting before (a date includes that whole day, UTC)"),
  scope: ScopeFilterSchema.optional(),
  source: PointSourceSchema.optional().describe(
    "Only points of this source; default one point per window, the engine's where both exist",
  ),
};

export const RegistryGuaranteesQuerySchema = z.strictObject({
  ...RegistryFiltersShape,
  cursor: PageCursorSchema.optional(),
  control_id: IdSchema.optional(),
  catalog_id: IdSchema.optional(),
});
export type RegistryGuaranteesQuery = z.infer<typeof RegistryGuaranteesQuerySchema>;

/** A guarantee point as integrators read it: the point plus the names of its control and catalog. */
export const RegistryGuaranteeSchema = z.object({
  id: IdSchema,
  agreementId: z.string(),
  guaranteeId: z.string(),
  controlId: IdSchema,
  controlName: z.string(),
  catalogId: IdSchema,
  catalogName: z.string(),
  source: PointSourceSchema,
  scope: z.record(z.string(), z.unknown()),
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  value: z.number().nullable(),
  threshold: z.number(),
  result: ComplianceResultSchema,
});
export type RegistryGuarantee = z.infer<typeof RegistryGuaranteeSchema>;
export const RegistryGuaranteePageSchema = pageSchema(RegistryGuaranteeSchema).extend(KeysetPageShape);
export type RegistryGuaranteePage = z.infer<typeof RegistryGuaranteePageSchema>;

/** Counts and compliance of a set of points. */
export const ComplianceAggregateSchema = z.object({
  pointCount: z.number().int(),
  passCount: z.number().int(),
  failCount: z.number().int(),
  notApplicableCount: z.number().int(),
  /** Percent of applicable points (pass + fail) that passed; null when none applies. */
  compliance: z.number().nullable(),
  /** Mean of the points' values (percent of passing evidence); null without values. */
  averageValue: z.number().nullable(),
});
export type ComplianceAggregate = z.infer<typeof ComplianceAggregateSchema>;

export const RegistryComplianceQuerySchema = z.strictObject({ ...RegistryFiltersShape, catalog_id: IdSchema });
export type RegistryComplianceQuery = z.infer<typeof RegistryComplianceQuerySchema>;

export const ControlComplianceSchema = ComplianceAggregateSchema.extend({
  controlId: IdSchema,
  controlName: z.string(),
  latestWindowStart: IsoDateTimeSchema.nullable(),
  latestResult: ComplianceResultSchema.nullable(),
});
export type ControlCompliance = z.infer<typeof ControlComplianceSchema>;

/** A catalog's compliance over the filters, in total and per control (the page). */
export const RegistryComplianceSchema = pageSchema(ControlComplianceSchema).extend({
  catalogId: IdSchema,
  scope: z.string().nullable(),
  summary: ComplianceAggregateSchema,
});
export type RegistryCompliance = z.infer<typeof RegistryComplianceSchema>;

export const TrendPeriodSchema = z.enum(["daily", "weekly", "monthly"]);
export type TrendPeriod = z.infer<typeof TrendPeriodSchema>;

export const RegistryTrendsQuerySchema = z.strictObject({
  ...RegistryFiltersShape,
  control_id: IdSchema,
  period: TrendPeriodSchema.default("monthly"),
});
export type RegistryTrendsQuery = z.infer<typeof RegistryTrendsQuerySchema>;

/** One bucket of a trend: the points whose window starts in it (buckets in the catalog's time zone). */
export const TrendBucketSchema = ComplianceAggregateSchema.extend({ bucketStart: IsoDateTimeSchema });
export type TrendBucket = z.infer<typeof TrendBucketSchema>;
export const RegistryTrendsSchema = pageSchema(TrendBucketSchema).extend({
  controlId: IdSchema,
  period: TrendPeriodSchema,
});
export type RegistryTrends = z.infer<typeof RegistryTrendsSchema>;
