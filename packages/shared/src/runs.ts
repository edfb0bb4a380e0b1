import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";
import { PeriodSchema } from "./controls.ts";

export const RunStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "error", "cancelled"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;
/**
 * `failed`: the mashup answered something unusable (not retried); `error`: it could not be reached in time after every
 * attempt.
 */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "error", "cancelled"];

/** `push`: evidence sent to a push control (`POST /controls/:id/evidence`), stored as a run that is already done. */
export const RunTriggerSchema = z.enum(["manual", "schedule", "backfill", "collector", "push"]);
export type RunTrigger = z.infer<typeof RunTriggerSchema>;

export const RunSchema = z.object({
  id: IdSchema,
  batchId: IdSchema.nullable(),
  controlId: IdSchema,
  catalogId: IdSchema,
  controlName: z.string(),
  period: PeriodSchema,
  scopeSetId: IdSchema.nullable(),
  scope: z.record(z.string(), z.unknown()),
  windowStart: IsoDateTimeSchema,
  windowEnd: IsoDateTimeSchema,
  isProvisional: z
    .boolean()
    .describe("The window had not closed yet: the result is stored but makes no guarantee point"),
  trigger: RunTriggerSchema,
  status: RunStatusSchema,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: IsoDateTimeSchema,
  queuedAt: IsoDateTimeSchema,
  startedAt: IsoDateTimeSchema.nullable(),
  finishedAt: IsoDateTimeSchema.nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  computationId: IdSchema.nullable(),
  requestedBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
});
export type Run = z.infer<typeof RunSchema>;

/** An optional window; without one the latest closed window of the control's period is evaluated. */
export const CreateRunsBodySchema = z
  .strictObject({ from: IsoDateTimeSchema.optional(), to: IsoDateTimeSchema.optional() })
  .refine((body) => (body.from === undefined) === (body.to === undefined), {
    message: "Give both from and to, or neither",
    path: ["to"],
  })
  .refine((body) => !body.from || !body.to || Date.parse(body.to) > Date.parse(body.from), {
    message: "Must be after from",
    path: ["to"],
  });
export type CreateRunsBody = z.infer<typeof CreateRunsBodySchema>;

export const BackfillBodySchema = z
  .strictObject({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })
  .refine((body) => Date.parse(body.to) > Date.parse(body.from), { message: "Must be after from", path: ["to"] });
export type BackfillBody = z.infer<typeof BackfillBodySchema>;

export const RunBatchSchema = z.object({
  id: IdSchema,
  catalogId: IdSchema.nullable(),
  controlId: IdSchema.nullable(),
  trigger: RunTriggerSchema,
  runCount: z.number().int(),
  counts: z.record(RunStatusSchema, z.number().int()),
  progress: z.number().min(0).max(1).describe("Share of the batch's runs that have finished"),
  isDone: z.boolean(),
  createdAt: IsoDateTimeSchema,
});
export type RunBatch = z.infer<typeof RunBatchSchema>;

/**
 * Why a window asked for was not evaluated: it starts before the control's (or its catalog's) start date — the
 * partial window the start date falls in included — or ends after its end date.
 */
export const WindowSkipReasonSchema = z.enum(["before_start", "after_end"]);
export type WindowSkipReason = z.infer<typeof WindowSkipReasonSchema>;

/** How many windows (per control; a catalog run adds its controls') were left out for one reason. */
export const SkippedWindowsSchema = z.object({ reason: WindowSkipReasonSchema, count: z.number().int().min(1) });
export type SkippedWindows = z.infer<typeof SkippedWindowsSchema>;

/** Answer of the run-creating routes: the batch, its first runs, and the windows left out of it. */
export const CreatedRunsSchema = z.object({
  batch: RunBatchSchema,
  runs: z.array(RunSchema),
  skipped: z
    .array(SkippedWindowsSchema)
    .describe("Windows asked for that lie outside the control's life, by reason; no run is created for them"),
});
export type CreatedRuns = z.infer<typeof CreatedRunsSchema>;

export const RunListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["createdAt", "windowStart", "finishedAt"], "-createdAt"),
  controlId: IdSchema.optional(),
  catalogId: IdSchema.optional(),
  batchId: IdSchema.optional(),
  status: RunStatusSchema.optional(),
  trigger: RunTriggerSchema.optional(),
  from: IsoDateTimeSchema.optional().describe("Windows starting at or after"),
  to: IsoDateTimeSchema.optional().describe("Windows starting before"),
});
export type RunListQuery = z.infer<typeof RunListQuerySchema>;

export const RunPageSchema = pageSchema(RunSchema);

/** One Server-Sent Event of `/runs/:id/events` (`event: run`) or `/run-batches/:id/events` (`event: batch`). */
export const RunEventSchema = z.object({ run: RunSchema, progress: z.number().min(0).max(1) });
export type RunEvent = z.infer<typeof RunEventSchema>;
