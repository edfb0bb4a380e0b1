import { z } from "zod";
import {
  ChangeReasonSchema,
  IdSchema,
  IsoDateTimeSchema,
  JsonValueSchema,
  PageQueryShape,
  SearchTermSchema,
  pageSchema,
  sortSchema,
  endAfterStart,
  END_AFTER_START,
} from "./common.ts";
import { EvidenceResultSchema } from "./computations.ts";
import { ControlStateValueSchema, ScopeFilterSchema } from "./control-states.ts";
import { ArchivedFilterSchema, ArchiveSchema } from "./archive.ts";
import { UserRefSchema } from "./handling.ts";

/** How often a control is evaluated; each period is one time window. */
export const PeriodSchema = z.enum(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "ANNUALLY"]);
export type Period = z.infer<typeof PeriodSchema>;

/**
 * How a control gets its evidence: `mashup` (STATUS calls its Node-RED flow each window) or `push` (no mashup: the
 * evidence is sent to `POST /controls/:id/evidence`, and the window's point is made when the window closes).
 */
export const ControlKindSchema = z.enum(["mashup", "push"]);
export type ControlKind = z.infer<typeof ControlKindSchema>;

export const ControlStatusSchema = z.enum(["draft", "finalized"]);
export type ControlStatus = z.infer<typeof ControlStatusSchema>;

/** A flow input value: plain JSON, no deeper than the flow needs. */
const ParamValueSchema = JsonValueSchema;
/** Inputs passed to the mashup, by name (`org`, `repository`, …). */
export const ControlParamsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "Parameter names are identifiers"),
    ParamValueSchema,
  )
  .refine((params) => Object.keys(params).length <= 100, "At most 100 parameters")
  .refine((params) => JSON.stringify(params).length <= 64_000, "Parameters must serialise to at most 64 kB");
export type ControlParams = z.infer<typeof ControlParamsSchema>;

/**
 * How long after a window closes its point may still arrive before the control is stale, in minutes (at most 366
 * days); null: one period.
 */
export const StaleGraceMinutesSchema = z
  .number()
  .int()
  .min(1, "Must be at least 1 minute")
  .max(527_040, "Must be at most 366 days")
  .nullable();

/** The share of passing evidence, in percent, that a window needs to pass. */
export const ThresholdSchema = z.number().min(0, "Must be between 0 and 100").max(100, "Must be between 0 and 100");

export const ControlSchema = z.object({
  id: IdSchema,
  catalogId: IdSchema,
  name: z.string(),
  description: z.string(),
  period: PeriodSchema,
  startDate: IsoDateTimeSchema.nullable(),
  endDate: IsoDateTimeSchema.nullable(),
  kind: ControlKindSchema,
  mashupId: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  threshold: z.number(),
  status: ControlStatusSchema,
  version: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe("The control's current version (GET /controls/:id/versions); null while it is a draft"),
  staleGraceMinutes: StaleGraceMinutesSchema.describe(
    "Minutes a closed window's point may be late before the control is stale; null: one period",
  ),
  scopeSetCount: z.number().int().min(0),
  archive: ArchiveSchema.nullable().describe("Set while the control itself is archived"),
  isCatalogArchived: z
    .boolean()
    .describe("Its catalog is archived: the control is then unscheduled and read-only too, whatever `archive` says"),
  owner: UserRefSchema.nullable().describe("Who answers for the control (not part of its record)"),
  watchers: z.array(UserRefSchema).describe("Who follows the control, by username"),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Control = z.infer<typeof ControlSchema>;

const ControlFieldsShape = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000),
  period: PeriodSchema,
  startDate: IsoDateTimeSchema.nullable(),
  endDate: IsoDateTimeSchema.nullable(),
  mashupId: z.string().trim().min(1).max(100).nullable(),
  params: ControlParamsSchema,
  threshold: ThresholdSchema,
  staleGraceMinutes: StaleGraceMinutesSchema,
};

export const CreateControlBodySchema = z
  .strictObject({
    name: ControlFieldsShape.name,
    description: ControlFieldsShape.description.default(""),
    period: ControlFieldsShape.period.default("MONTHLY"),
    startDate: ControlFieldsShape.startDate.default(null),
    endDate: ControlFieldsShape.endDate.default(null),
    kind: ControlKindSchema.optional().describe(
      "mashup (default) or push; set at creation only. A push control has no mashup",
    ),
    mashupId: ControlFieldsShape.mashupId.default(null),
    params: ControlFieldsShape.params.default({}),
    threshold: ControlFieldsShape.threshold.default(100),
    staleGraceMinutes: ControlFieldsShape.staleGraceMinutes.default(null),
  })
  .refine(endAfterStart, END_AFTER_START)
  .refine((body) => body.kind !== "push" || body.mashupId === null, {
    message: "A push control has no mashup",
    path: ["mashupId"],
  });
export type CreateControlBody = z.infer<typeof CreateControlBodySchema>;

/**
 * What decides a finalized control's results. Changing any of these (or its scope sets) creates a new control version
 * and needs a `reason`; name, description and dates stay freely editable (audited).
 */
export const RESULT_DECIDING_FIELDS = ["period", "threshold", "mashupId", "params"] as const;
export type ResultDecidingField = (typeof RESULT_DECIDING_FIELDS)[number];

/**
 * Partial update; `status: "finalized"` finalizes a control of a finalized catalog. On a finalized control, a change
 * of period, threshold, mashup or parameters needs `reason` and creates a new version (422 `reason_required` without).
 */
export const UpdateControlBodySchema = z
  .strictObject({
    name: ControlFieldsShape.name.optional(),
    description: ControlFieldsShape.description.optional(),
    period: ControlFieldsShape.period.optional(),
    startDate: ControlFieldsShape.startDate.optional(),
    endDate: ControlFieldsShape.endDate.optional(),
    mashupId: ControlFieldsShape.mashupId.optional(),
    params: ControlFieldsShape.params.optional(),
    threshold: ControlFieldsShape.threshold.optional(),
    staleGraceMinutes: ControlFieldsShape.staleGraceMinutes.optional(),
    status: ControlStatusSchema.optional(),
    reason: ChangeReasonSchema.optional().describe(
      "Why: required when a finalized control's period, threshold, mashup or parameters change",
    ),
  })
  .refine(endAfterStart, END_AFTER_START);
export type UpdateControlBody = z.infer<typeof UpdateControlBodySchema>;

export const ControlListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["name", "createdAt", "updatedAt", "period", "threshold"], "name"),
  q: SearchTermSchema,
  status: ControlStatusSchema.optional(),
  period: PeriodSchema.optional(),
  mashupId: z.string().max(100).optional(),
  catalogId: IdSchema.optional(),
  archived: ArchivedFilterSchema.describe(
    "false (default): neither the control nor its catalog is archived; true: either is; all: both",
  ),
  owner: z
    .union([z.literal("me"), IdSchema])
    .optional()
    .describe("`me` (the signed-in user) or a user id: the controls that user owns"),
  watching: z
    .union([z.literal("me"), IdSchema])
    .optional()
    .describe("`me` or a user id: the controls that user watches"),
  state: ControlStateValueSchema.optional().describe("The control's state now: passing, failing, stale…"),
  result: EvidenceResultSchema.optional().describe(
    "pass, fail, not_applicable: the newest verdict over its scopes (stale or not); error: its latest run ended without one",
  ),
  scope: ScopeFilterSchema.optional().describe("key:value: one of its scope sets has this value, e.g. team:payments"),
});
export type ControlListQuery = z.infer<typeof ControlListQuerySchema>;

export const CatalogControlsParamsSchema = z.strictObject({ id: IdSchema });

/** Lists of controls count exactly up to this many; past it, `total` is the planner's estimate (`totalIsEstimate`). */
export const CONTROL_TOTAL_CAP = 1_000;

export const ControlPageSchema = pageSchema(ControlSchema).extend({
  totalIsEstimate: z
    .boolean()
    .default(false)
    .describe(`True when more than ${CONTROL_TOTAL_CAP.toLocaleString("en")} match: total is then an estimate`),
});
export type ControlPage = z.infer<typeof ControlPageSchema>;
