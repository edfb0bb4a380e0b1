import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";

/**
 * Events STATUS emits when a control changes state (issue 15). Webhooks carry them as CloudEvents 1.0
 * structured JSON; e-mail and chat channels render the same `data`. One definition so every channel agrees.
 */
export const EventTypeSchema = z.enum([
  "control.failing",
  "control.recovered",
  "control.stale",
  "control.fresh",
  "run.error",
  "catalog.compliance_below",
]);
export type EventType = z.infer<typeof EventTypeSchema>;

/** The state a control is in for one scope, as events report it. */
export const EventControlStateSchema = z.enum(["passing", "failing", "stale", "not_evaluated"]);
export type EventControlState = z.infer<typeof EventControlStateSchema>;

export const StatusEventDataSchema = z.object({
  catalog: z.object({ id: IdSchema, name: z.string() }),
  control: z.object({ id: IdSchema, name: z.string() }).nullable(),
  /** The scope values of the point, e.g. `{ "team": "payments" }`; `{}` for an unscoped control. */
  scope: z.record(z.string(), z.string()),
  window: z.object({ from: IsoDateTimeSchema, to: IsoDateTimeSchema }).nullable(),
  previousState: EventControlStateSchema.nullable(),
  newState: EventControlStateSchema.nullable(),
  /** Compliance of the window (0–100) or, for `catalog.compliance_below`, of the catalog. */
  compliance: z.number().nullable(),
  threshold: z.number().nullable(),
  computationUrl: z.string().nullable(),
  evidenceUrl: z.string().nullable(),
  /** For `run.error`: how many runs in a row ended in error. */
  consecutiveErrors: z.number().int().optional(),
});
export type StatusEventData = z.infer<typeof StatusEventDataSchema>;

/** A CloudEvents 1.0 structured-mode event as STATUS emits it. */
export const StatusCloudEventSchema = z.object({
  specversion: z.literal("1.0"),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: IsoDateTimeSchema,
  subject: z.string().optional(),
  datacontenttype: z.literal("application/json"),
  data: StatusEventDataSchema,
});
export type StatusCloudEvent = z.infer<typeof StatusCloudEventSchema>;

/** `GET /events`: the events since an instant (default the last 7 days), newest first, for the header's bell. */
export const EventListQuerySchema = z.strictObject({
  since: IsoDateTimeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EventListQuery = z.infer<typeof EventListQuerySchema>;

export const EventListSchema = z.object({ items: z.array(StatusCloudEventSchema) });
export type EventList = z.infer<typeof EventListSchema>;
