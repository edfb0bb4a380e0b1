import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { PeriodSchema } from "./controls.ts";
import { ScopeValueSchema } from "./scopes.ts";

/** A scope set as a version recorded it: the set's id then, and its values. */
export const ScopeSetSnapshotSchema = z.object({
  id: IdSchema,
  values: z.record(z.string(), ScopeValueSchema),
});
export type ScopeSetSnapshot = z.infer<typeof ScopeSetSnapshotSchema>;

/**
 * One field that differs from the version before: `period`, `threshold`, `mashupId`, `params.<name>` or `scopeSets`.
 * `before` is absent for what was added and `after` for what was removed (a parameter, for instance).
 */
export const ControlVersionChangeSchema = z.object({
  field: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type ControlVersionChange = z.infer<typeof ControlVersionChangeSchema>;

/**
 * What decided a finalized control's results from one window on: created when the control is finalized (version 1)
 * and by every later change of its period, threshold, mashup, parameters or scope sets, with who, when and why.
 * Windows from `effectiveFrom` (null: from the control's first window) until the next version's are evaluated
 * under it; every computation and point records the version it was computed under.
 */
export const ControlVersionSchema = z.object({
  controlId: IdSchema,
  version: z.number().int().min(1),
  period: PeriodSchema,
  threshold: z.number(),
  mashupId: z.string().nullable().describe("null for a push control"),
  params: z.record(z.string(), z.unknown()),
  scopeSets: z.array(ScopeSetSnapshotSchema).describe("Empty: evaluated once, for the empty scope"),
  effectiveFrom: IsoDateTimeSchema.nullable().describe(
    "Start of the first window evaluated under this version; null: from the control's first window",
  ),
  effectiveUntil: IsoDateTimeSchema.nullable().describe(
    "Where the next version takes over; null for the current version (and for one superseded from the first window)",
  ),
  isSupersededBeforeEffect: z
    .boolean()
    .describe("True when a later version took over before any window of this one: nothing is evaluated under it"),
  reason: z.string(),
  createdById: IdSchema.nullable(),
  createdByName: z.string().nullable().describe("Null when the version was recorded by the system (a migration)"),
  createdAt: IsoDateTimeSchema,
  digest: z.string().describe("sha256 over the version and the digest of the version before it"),
  isCurrent: z.boolean(),
  pointCount: z.number().int().min(0).describe("Guarantee points recorded under this version"),
  changes: z.array(ControlVersionChangeSchema).describe("Field by field, what differs from the version before"),
});
export type ControlVersion = z.infer<typeof ControlVersionSchema>;

export const ControlVersionListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["version"], "-version"),
});
export type ControlVersionListQuery = z.infer<typeof ControlVersionListQuerySchema>;
export const ControlVersionPageSchema = pageSchema(ControlVersionSchema);

export const NextControlVersionQuerySchema = z.strictObject({
  period: PeriodSchema.optional().describe("The period the change would set; default: the current one"),
});
export type NextControlVersionQuery = z.infer<typeof NextControlVersionQuerySchema>;

/** What a result-deciding change made now would do: which version it creates, and from which window. */
export const NextControlVersionSchema = z.object({
  controlId: IdSchema,
  isVersioned: z.boolean().describe("False for a draft: its changes create no version and need no reason"),
  currentVersion: z.number().int().min(1).nullable(),
  nextVersion: z.number().int().min(1).nullable(),
  effectiveFrom: IsoDateTimeSchema.nullable().describe(
    "The next window that has not been evaluated (in the new period); null: every window so far is unevaluated",
  ),
  evaluatedThrough: IsoDateTimeSchema.nullable().describe(
    "End of the newest window with a point, or being evaluated, for any scope set",
  ),
});
export type NextControlVersion = z.infer<typeof NextControlVersionSchema>;
