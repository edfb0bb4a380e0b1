import { z } from "zod";
import { IsoDateTimeSchema, JsonValueSchema, PageQueryShape, pageSchema } from "./common.ts";
import { PeriodSchema } from "./controls.ts";
import { EvidenceDeclarationSchema } from "./evidence-rules.ts";
import { ProblemIssueSchema } from "./problem.ts";

/**
 * The flow environment variable (type JSON) of a mashup's tab that declares its evidences: a list of
 * `{key, label, unit?, rule?, description?}` (see EvidenceDeclarationSchema). It is an output, never an input.
 */
export const EVIDENCE_DECLARATION_VARIABLE = "STATUS_EVIDENCE";

/** A mashup id is the id of its Node-RED flow tab, e.g. `pull-requests-reviewed` or `3f2a9c1d0b7e4a55`. */
export const MashupIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, "Letters, digits, '.', '_' and '-' only");

export const MashupIdParamsSchema = z.strictObject({ id: MashupIdSchema });
export type MashupIdParams = z.infer<typeof MashupIdParamsSchema>;

/**
 * The type of a declared input, from the flow's environment variable type: `secret` values (Node-RED credentials)
 * are never reported, `expression` ones (JSONata, env) are evaluated by Node-RED.
 */
export const MashupInputTypeSchema = z.enum(["string", "number", "boolean", "json", "secret", "expression"]);
export type MashupInputType = z.infer<typeof MashupInputTypeSchema>;

/** An input a mashup declares (a flow environment variable); controls pass it in `params` to override the default. */
export const MashupInputSchema = z.object({
  name: z.string(),
  type: MashupInputTypeSchema,
  default: z.unknown().describe("The flow's default; null for secrets and unparsable values"),
});
export type MashupInput = z.infer<typeof MashupInputSchema>;

/** A Node-RED flow tab that STATUS can invoke: it has an enabled `http in` node. */
export const MashupSchema = z.object({
  id: MashupIdSchema,
  name: z.string(),
  description: z.string().describe("The tab's description (Markdown)"),
  url: z.string().describe("The http-in path, relative to Node-RED's httpNodeRoot, e.g. /pull-requests-reviewed"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  inputs: z.array(MashupInputSchema),
  evidence: z
    .array(EvidenceDeclarationSchema)
    .describe(`What its evidences are and the rule that decides them (its ${EVIDENCE_DECLARATION_VARIABLE} variable)`),
  evidenceIssues: z
    .array(ProblemIssueSchema)
    .describe("Why its evidence declaration was refused (then `evidence` is empty); empty when valid or absent"),
});
export type Mashup = z.infer<typeof MashupSchema>;

export const MashupListQuerySchema = z.strictObject({ ...PageQueryShape });
export type MashupListQuery = z.infer<typeof MashupListQuerySchema>;
export const MashupPageSchema = pageSchema(MashupSchema);

/** `GET /mashups/:id/evidence`: a mashup's evidence declaration with the inputs its rules name (and their defaults). */
export const MashupEvidenceSchema = z.object({
  mashupId: MashupIdSchema,
  inputs: z.array(MashupInputSchema),
  evidence: z.array(EvidenceDeclarationSchema),
});
export type MashupEvidence = z.infer<typeof MashupEvidenceSchema>;

/** `GET /mashups/editor?flow=<id>`: opens the Node-RED editor (at /node-red/), on that flow when given. */
export const MashupEditorQuerySchema = z.strictObject({ flow: MashupIdSchema.optional() });
export type MashupEditorQuery = z.infer<typeof MashupEditorQuerySchema>;

/**
 * What a mashup answers (HTTP 200): `value` is true when every evidence passed; each evidence names the record it
 * checked (`key`), the checked fact (`value`), whether it passed (`result`) and the period it covers.
 */
export const MashupAnswerSchema = z.object({
  value: z.boolean(),
  evidences: z.array(
    z
      .object({
        key: z.string(),
        value: z.unknown(),
        result: z.boolean(),
        from: z.string().nullable().optional(),
        to: z.string().nullable().optional(),
      })
      .passthrough(),
  ),
});
export type MashupAnswer = z.infer<typeof MashupAnswerSchema>;

/**
 * `POST /mashups/:id/test`: calls the flow once, the way a run would (params, scope, window), and persists nothing.
 * `timeoutMs` may shorten the engine's mashup timeout for a quick check, never lengthen it.
 */
export const TestMashupBodySchema = z
  .strictObject({
    params: z.record(z.string().min(1).max(100), JsonValueSchema).default({}),
    scope: z.record(z.string().min(1).max(60), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
    from: IsoDateTimeSchema,
    to: IsoDateTimeSchema,
    period: PeriodSchema.default("MONTHLY"),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  // Only a comparable pair is compared; an unreadable date is reported on its own field.
  .refine((body) => !(Date.parse(body.from) >= Date.parse(body.to)), { message: "Must be after from", path: ["to"] });
export type TestMashupBody = z.infer<typeof TestMashupBodySchema>;

/** What the flow answered to a test call: the raw status and body, how long it took, and whether a run could use it. */
export const MashupTestResultSchema = z.object({
  mashupId: MashupIdSchema,
  status: z.number().int().describe("The HTTP status the flow answered with"),
  body: z.unknown().describe("The flow's answer: parsed JSON when it sent JSON, else the text"),
  durationMs: z.number().int().min(0),
  isValid: z.boolean().describe("The answer has the shape a run needs ({value, evidences[]}) and a 2xx status"),
  problem: z.string().nullable().describe("Why a run could not use the answer; null when it could"),
});
export type MashupTestResult = z.infer<typeof MashupTestResultSchema>;

/**
 * The engine's limits on one mashup's calls, held across every worker: at most `maxConcurrency` calls in flight and
 * `ratePerSecond` calls started per second (a burst of a tenth of a second's worth at most). Null: no limit. Runs
 * over a limit wait their turn without holding a worker's slot, so other mashups' runs go on meanwhile.
 */
export const MashupLimitsSchema = z.object({
  mashupId: MashupIdSchema,
  maxConcurrency: z.number().int().min(1).max(100_000).nullable(),
  ratePerSecond: z.number().gt(0).max(100_000).nullable(),
  updatedAt: IsoDateTimeSchema.nullable(),
});
export type MashupLimits = z.infer<typeof MashupLimitsSchema>;

export const SetMashupLimitsBodySchema = z.strictObject({
  maxConcurrency: z.number().int().min(1).max(100_000).nullable(),
  /** Kept to three decimals (0.5: one call every two seconds). */
  ratePerSecond: z.number().gt(0).max(100_000).nullable(),
});
export type SetMashupLimitsBody = z.infer<typeof SetMashupLimitsBodySchema>;
