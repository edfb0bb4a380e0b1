import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";
import { ModelNameSchema } from "./assistants.ts";

/**
 * The AI settings as ADMIN sees them. The API key is never returned: only whether one is set, where it comes from
 * (these settings, stored encrypted, or the OPENAI_API_KEY variable) and its last four characters.
 */
export const AiSettingsSchema = z.object({
  apiKeySet: z.boolean(),
  apiKeySource: z.enum(["settings", "environment"]).nullable(),
  apiKeyLast4: z.string().nullable(),
  baseUrl: z.string().nullable().describe("An OpenAI-compatible server; null: OpenAI's own"),
  defaultModel: z.string(),
  dailyRequestLimit: z.number().int().describe("Model requests per user and UTC day; 0: no limit"),
  dailyTokenLimit: z.number().int().describe("Prompt + completion tokens per user and UTC day; 0: no limit"),
  updatedAt: IsoDateTimeSchema.nullable(),
});
export type AiSettings = z.infer<typeof AiSettingsSchema>;

/** A partial update; `apiKey: null` removes the stored key (the environment's then applies, if any). */
export const UpdateAiSettingsBodySchema = z.strictObject({
  apiKey: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces")
    .nullable()
    .optional(),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "Must be an http(s) URL" })
    .max(500)
    .nullable()
    .optional(),
  defaultModel: ModelNameSchema.optional(),
  dailyRequestLimit: z.number().int().min(0).max(1_000_000).optional(),
  dailyTokenLimit: z.number().int().min(0).max(1_000_000_000).optional(),
});
export type UpdateAiSettingsBody = z.infer<typeof UpdateAiSettingsBodySchema>;

/**
 * The answer of a connection check: the server answered with its models, or what is wrong (the same code and
 * explanation a chat would get: ai_not_configured, ai_invalid_api_key, ai_quota_exhausted, ai_unavailable…).
 */
export const AiConnectionCheckSchema = z.discriminatedUnion("isOk", [
  z.object({ isOk: z.literal(true), modelCount: z.number().int(), models: z.array(z.string()) }),
  z.object({ isOk: z.literal(false), code: z.string(), title: z.string(), detail: z.string() }),
]);
export type AiConnectionCheck = z.infer<typeof AiConnectionCheckSchema>;

/** Requests and tokens of one user on one UTC day. */
export const AiUsageRowSchema = z.object({
  userId: IdSchema,
  username: z.string(),
  day: z.string().describe("YYYY-MM-DD (UTC)"),
  requests: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
});
export type AiUsageRow = z.infer<typeof AiUsageRowSchema>;

const DaySchema = z.iso.date({ message: "Must be a date, YYYY-MM-DD" });
export const AiUsageQuerySchema = z.strictObject({
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  userId: IdSchema.optional(),
});
export type AiUsageQuery = z.infer<typeof AiUsageQuerySchema>;
export const AiUsageListSchema = z.object({ items: z.array(AiUsageRowSchema) });

/** The caller's own usage today against the limits. */
export const MyAiUsageSchema = z.object({
  day: z.string(),
  requests: z.number().int(),
  tokens: z.number().int(),
  dailyRequestLimit: z.number().int(),
  dailyTokenLimit: z.number().int(),
});
export type MyAiUsage = z.infer<typeof MyAiUsageSchema>;
