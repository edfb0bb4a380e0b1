import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, JsonValueSchema } from "./common.ts";
import { EvidenceResultSchema } from "./computations.ts";
import { ScopeValuesSchema } from "./scopes.ts";

/**
 * One evidence pushed to a push control: the fact a mashup would return (`{key, value, result, from, to}`), with the
 * result as a boolean (the seed's format) or one of the four named states. Pushed evidence is checked strictly: an
 * unknown result is refused (400) rather than stored as an error, since the sender can fix it and retry.
 */
export const PushedEvidenceSchema = z.strictObject({
  key: z.string().trim().min(1).max(500),
  value: JsonValueSchema.optional(),
  result: z.union([z.boolean(), EvidenceResultSchema]),
  from: IsoDateTimeSchema.optional(),
  to: IsoDateTimeSchema.optional(),
});
export type PushedEvidence = z.infer<typeof PushedEvidenceSchema>;

/** At most this many evidences per submission (the request body limit applies too: 413 beyond it). */
export const MAX_PUSHED_EVIDENCES = 10_000;

/** A window of the control's period, exactly: `from` is a window start and `to` its end. */
export const PushWindowSchema = z
  .strictObject({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })
  .refine((window) => Date.parse(window.to) > Date.parse(window.from), { message: "Must be after from", path: ["to"] });

/**
 * `POST /controls/:id/evidence`: evidence for one window of a push control. `window` names the window exactly, or
 * `at` any instant in it (the window of the control's period, in its catalog's time zone, that contains it); with
 * neither, the window containing the time of receipt. `scope` is required when the control has scope sets and must
 * equal one of them. `value` is the sender's own figure, kept with the computation as a mashup's value is.
 */
export const EvidenceSubmissionBodySchema = z
  .strictObject({
    window: PushWindowSchema.optional(),
    at: IsoDateTimeSchema.optional(),
    scope: ScopeValuesSchema.optional(),
    value: z.union([z.number(), z.boolean()]).nullable().optional(),
    evidences: z.array(PushedEvidenceSchema).max(MAX_PUSHED_EVIDENCES),
  })
  .refine((body) => body.window === undefined || body.at === undefined, {
    message: "Give window or at, not both",
    path: ["at"],
  });
export type EvidenceSubmissionBody = z.infer<typeof EvidenceSubmissionBodySchema>;

/**
 * What became of a submission: `accepted` (stored; it decides its window's point unless a later one received before
 * the window closes does), `late` (stored, but its window's point was already made: the point is unchanged) or
 * `duplicate` (a retry with the same `Idempotency-Key` and body: nothing new was stored, this is the first answer).
 */
export const EvidenceSubmissionStatusSchema = z.enum(["accepted", "late", "duplicate"]);
export type EvidenceSubmissionStatus = z.infer<typeof EvidenceSubmissionStatusSchema>;

export const EvidenceSubmissionResultSchema = z.object({
  computationId: IdSchema,
  windowFrom: IsoDateTimeSchema,
  windowTo: IsoDateTimeSchema,
  status: EvidenceSubmissionStatusSchema,
  pointId: IdSchema.nullable()
    .optional()
    .describe("The window's guarantee point once it has one; null while the window is open"),
});
export type EvidenceSubmissionResult = z.infer<typeof EvidenceSubmissionResultSchema>;

export const ControlEvidenceParamsSchema = z.strictObject({ id: IdSchema });

/** The `Idempotency-Key` header: visible ASCII, at most 255 characters (a UUID is a good choice). */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "Use visible ASCII characters only, e.g. a UUID");
