import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { ComplianceResultSchema } from "./computations.ts";
import { PointHandlingSchema } from "./handling.ts";
import { ScopeFilterSchema } from "./control-states.ts";

export const PointSourceSchema = z.enum(["engine", "registry"]);

/**
 * How a point's hash was computed. 1: the fields of the first release; 2 (every new point): also the control version
 * and its digest, the catalog, the scope values and the time the point was recorded.
 */
export const HashSchemeSchema = z.union([z.literal(1), z.literal(2)]);
export type HashScheme = z.infer<typeof HashSchemeSchema>;

/** A guarantee point: the compliance of one control, for one scope, over one closed window. */
export const PointSchema = z.object({
  id: IdSchema,
  controlId: IdSchema,
  catalogId: IdSchema,
  source: PointSourceSchema,
  scope: z.record(z.string(), z.unknown()),
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  value: z.number().nullable(),
  threshold: z.number(),
  result: ComplianceResultSchema,
  computationId: IdSchema.nullable(),
  controlVersion: z
    .number()
    .int()
    .nullable()
    .describe("The control version it was computed under; null for points recorded before versions existed"),
  hashScheme: HashSchemeSchema,
  hash: z.string(),
  prevHash: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
  handling: PointHandlingSchema.describe(
    "Comments, acknowledgement and accepted exception: not part of the record (the hash never covers them)",
  ),
});
export type Point = z.infer<typeof PointSchema>;

export const PointListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["windowStart", "createdAt"], "-windowStart"),
  catalogId: IdSchema.optional(),
  controlId: IdSchema.optional(),
  scope: ScopeFilterSchema.optional(),
  source: PointSourceSchema.optional(),
  result: ComplianceResultSchema.optional(),
  from: IsoDateTimeSchema.optional(),
  to: IsoDateTimeSchema.optional(),
});
export type PointListQuery = z.infer<typeof PointListQuerySchema>;
export const PointPageSchema = pageSchema(PointSchema);

export const ChainVerificationSchema = z.object({
  controlId: IdSchema,
  isIntact: z.boolean(),
  pointCount: z.number().int(),
  pointsByHashScheme: z
    .record(z.string(), z.number().int())
    .describe('How many points each hash scheme covers, e.g. {"1": 120, "2": 30}'),
  versionCount: z.number().int().describe("Control versions checked (their digests and their chain)"),
  checkedAt: IsoDateTimeSchema,
  firstBrokenPointId: IdSchema.nullable(),
  problem: z.string().nullable(),
});
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;
