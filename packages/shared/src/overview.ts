import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";
import { CatalogStatusSchema } from "./catalogs.ts";
import { ComplianceResultSchema } from "./computations.ts";
import { PeriodSchema } from "./controls.ts";
import { RunStatusSchema } from "./runs.ts";

/** `GET /overview?days=30`: how many days of history the compliance series covers. */
export const OverviewQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
});
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

/**
 * A control's state now. `stale`: finalized and active, but the next window after its newest point (in some scope)
 * closed, and its grace passed, without a point — never counted as passing. `not_evaluated`: no point yet, and none
 * overdue. Otherwise the newest points' verdict over the control's scopes: failing if one fails.
 */
export const ControlStateValueSchema = z.enum(["passing", "failing", "stale", "not_evaluated", "not_applicable"]);
export type ControlStateValue = z.infer<typeof ControlStateValueSchema>;

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
