import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { ComplianceResultSchema } from "./computations.ts";

export const PointSourceSchema = z.enum(["engine", "registry"]);

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
  hash: z.string(),
  prevHash: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
});
export type Point = z.infer<typeof PointSchema>;

export const PointListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["windowStart", "createdAt"], "-windowStart"),
  catalogId: IdSchema.optional(),
  controlId: IdSchema.optional(),
  scope: z
    .string()
    .max(200)
    .regex(/^[a-z][a-z0-9_]*:.+$/, "Use key:value")
    .optional()
    .describe("key:value, e.g. team:payments"),
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
  checkedAt: IsoDateTimeSchema,
  firstBrokenPointId: IdSchema.nullable(),
  problem: z.string().nullable(),
});
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;
