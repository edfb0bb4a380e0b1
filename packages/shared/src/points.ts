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

/** Lists of points count exactly up to this many; past it, `total` is the planner's estimate (`totalIsEstimate`). */
export const POINT_TOTAL_CAP = 10_000;

/** An opaque keyset cursor: the `nextCursor` of the page before (base64url). */
export const PageCursorSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "Must be the nextCursor of a previous page")
  .describe("The nextCursor of the page before: continues after its last item (page is then ignored)");

export const PointListQuerySchema = z.strictObject({
  ...PageQueryShape,
  cursor: PageCursorSchema.optional(),
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
/** The keyset part of a page: where the next one starts, and whether `total` is exact. */
export const KeysetPageShape = {
  nextCursor: z.string().nullable().default(null).describe("Pass as `cursor` for the next page; null on the last page"),
  totalIsEstimate: z
    .boolean()
    .default(false)
    .describe(`True when more than ${POINT_TOTAL_CAP.toLocaleString("en")} match: total is then an estimate`),
};
export const PointPageSchema = pageSchema(PointSchema).extend(KeysetPageShape);
export type PointPage = z.infer<typeof PointPageSchema>;

/**
 * `?resume=true` walks only the points appended since the last intact verification (its checkpoint), for frequent
 * checks of long chains; without it the whole chain is walked, so an edit anywhere is found.
 */
export const ChainVerificationQuerySchema = z.strictObject({
  resume: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});
export type ChainVerificationQuery = z.infer<typeof ChainVerificationQuerySchema>;

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
