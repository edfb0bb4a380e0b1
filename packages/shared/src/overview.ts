import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";
import { UserRefSchema } from "./handling.ts";
import { CatalogStatusSchema } from "./catalogs.ts";
import { ComplianceResultSchema } from "./computations.ts";
import { ControlStateValueSchema } from "./control-states.ts";
import { PeriodSchema } from "./controls.ts";
import { RunStatusSchema } from "./runs.ts";

/** `GET /overview?days=30`: how many days of history the compliance series covers. */
export const OverviewQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
});
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

/** A catalog's compliance now, counted in controls: the five states add up to `controlCount`. */
export const CatalogComplianceSchema = z.object({
  catalogId: IdSchema,
  catalogName: z.string(),
  status: CatalogStatusSchema,
  controlCount: z.number().int().min(0),
  /** Controls that have a point at all. */
  evaluated: z.number().int().min(0),
  passing: z.number().int().min(0),
  failing: z.number().int().min(0),
  stale: z.number().int().min(0),
  notEvaluated: z.number().int().min(0),
  notApplicable: z.number().int().min(0),
  /** Share of passing controls among passing, failing and stale ones, in percent; null when there are none. */
  compliance: z.number().nullable(),
});
export type CatalogCompliance = z.infer<typeof CatalogComplianceSchema>;

/** One catalog's compliance per UTC day (the day its points' windows start on). */
export const ComplianceSeriesSchema = z.object({
  catalogId: IdSchema,
  catalogName: z.string(),
  days: z.array(z.object({ day: IsoDateTimeSchema, points: z.number().int(), compliance: z.number().nullable() })),
});
export type ComplianceSeries = z.infer<typeof ComplianceSeriesSchema>;

/** The latest point of a control and scope, when it failed. */
export const FailingControlSchema = z.object({
  catalogId: IdSchema,
  catalogName: z.string(),
  controlId: IdSchema,
  controlName: z.string(),
  scope: z.record(z.string(), z.unknown()),
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  value: z.number().nullable(),
  threshold: z.number(),
});
export type FailingControl = z.infer<typeof FailingControlSchema>;

/** When the scheduler will next run a finalized control: at the end of its next window after the scheduler's cursor. */
export const ScheduledRunSchema = z.object({
  catalogId: IdSchema,
  catalogName: z.string(),
  controlId: IdSchema,
  controlName: z.string(),
  period: PeriodSchema,
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  /** The window's end; earlier than now when the window closed and the scheduler has not picked it up yet. */
  dueAt: IsoDateTimeSchema,
});
export type ScheduledRun = z.infer<typeof ScheduledRunSchema>;

export const OverviewSchema = z.object({
  generatedAt: IsoDateTimeSchema,
  catalogs: z.array(CatalogComplianceSchema),
  series: z.array(ComplianceSeriesSchema),
  failingControls: z.array(FailingControlSchema),
  failingTotal: z.number().int().min(0),
  nextRuns: z.array(ScheduledRunSchema),
});
export type Overview = z.infer<typeof OverviewSchema>;

/** The current state of one control of a catalog, for the catalog page. */
export const ControlStateSchema = z.object({
  controlId: IdSchema,
  state: ControlStateValueSchema,
  /** Since when the control is stale (or, while it is not, when it becomes stale without a new point). */
  staleAt: IsoDateTimeSchema.nullable(),
  /** When its newest point (over the scopes it is evaluated for) was recorded. */
  lastEvaluatedAt: IsoDateTimeSchema.nullable(),
  /** The latest point over all scopes (by window), if any. */
  lastPoint: z
    .object({
      result: ComplianceResultSchema,
      value: z.number().nullable(),
      windowStart: IsoDateTimeSchema,
      windowEnd: IsoDateTimeSchema,
    })
    .nullable(),
  /** Scopes whose latest point failed. */
  failingScopes: z.number().int().min(0),
  lastRun: z
    .object({
      id: IdSchema,
      status: RunStatusSchema,
      createdAt: IsoDateTimeSchema,
      finishedAt: IsoDateTimeSchema.nullable(),
    })
    .nullable(),
  nextRun: z
    .object({ windowStart: IsoDateTimeSchema, windowEnd: IsoDateTimeSchema, dueAt: IsoDateTimeSchema })
    .nullable(),
});
export type ControlState = z.infer<typeof ControlStateSchema>;

export const ControlStateListSchema = z.object({ items: z.array(ControlStateSchema) });
export type ControlStateList = z.infer<typeof ControlStateListSchema>;

/** The longest period `GET /overview/failures` looks at: about five years. */
export const MAX_FAILURES_PERIOD_DAYS = 1830;

/**
 * `GET /overview/failures?from&to&catalogId`: the controls with a failing window starting in [from, to). Without
 * `to`, now; without `from`, 30 days before `to`.
 */
export const FailuresQuerySchema = z
  .strictObject({
    from: IsoDateTimeSchema.optional(),
    to: IsoDateTimeSchema.optional(),
    catalogId: IdSchema.optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to), {
    message: "Must be before to",
    path: ["from"],
  });
export type FailuresQuery = z.infer<typeof FailuresQuerySchema>;

/** A control with at least one failing window in the period asked for. */
export const FailedControlSchema = z.object({
  catalogId: IdSchema,
  catalogName: z.string(),
  /** The catalog's time zone: the windows are its days, weeks, months. */
  timeZone: z.string(),
  controlId: IdSchema,
  controlName: z.string(),
  period: PeriodSchema,
  /** Its state now, which may well be passing again. */
  state: ControlStateValueSchema,
  /** Who owns the control (who acts on the failure); null when nobody does yet. */
  owner: UserRefSchema.nullable(),
  /** Windows starting in the period with a failing point (in any scope): a window counts once, whatever its scopes. */
  failedWindows: z.number().int().min(1),
  /** Windows starting in the period with any point, so "3 of 7". */
  evaluatedWindows: z.number().int().min(1),
  newestFailedWindowStart: IsoDateTimeSchema,
  newestFailedWindowEnd: IsoDateTimeSchema,
  /** The computation behind the newest failing point (the control page opens it); null for a registry point. */
  newestFailedComputationId: IdSchema.nullable(),
  /**
   * Start of the current failing streak (the first failing window after its last window without a failure; it may
   * lie before the period), while the control is failing now; null: not failing now.
   */
  failingSince: IsoDateTimeSchema.nullable(),
});
export type FailedControl = z.infer<typeof FailedControlSchema>;

export const FailuresSchema = z.object({
  from: IsoDateTimeSchema,
  to: IsoDateTimeSchema,
  /** Controls, each once: newest failure first. */
  items: z.array(FailedControlSchema),
  /** How many controls failed in the period (items holds at most the first 500). */
  total: z.number().int().min(0),
});
export type Failures = z.infer<typeof FailuresSchema>;
