import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema } from "./common.ts";
import { EventTypeSchema } from "./events.ts";

/**
 * Webhook subscriptions (issue 15): STATUS posts each event to the URL, signed as Standard Webhooks specifies
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`), as a CloudEvent or shaped for a
 * Slack- or Teams-compatible incoming webhook.
 */
export const WebhookFormatSchema = z.enum(["cloudevents", "slack", "teams"]);
export type WebhookFormat = z.infer<typeof WebhookFormatSchema>;

/** The longest flapping guard: a state must hold at most this many windows before it is delivered. */
export const MAX_WEBHOOK_HOLD_WINDOWS = 10;

const WebhookUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: "Must be an http(s) URL" }));

export const CreateWebhookBodySchema = z.strictObject({
  url: WebhookUrlSchema,
  events: z.array(EventTypeSchema).min(1).max(6),
  catalogId: IdSchema.optional(),
  controlId: IdSchema.optional(),
  format: WebhookFormatSchema.default("cloudevents"),
  /** Deliver a state change only after the new state held this many consecutive windows (the flapping guard). */
  holdWindows: z.number().int().min(1).max(MAX_WEBHOOK_HOLD_WINDOWS).default(1),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBodySchema>;

export const UpdateWebhookBodySchema = z.strictObject({
  url: WebhookUrlSchema.optional(),
  events: z.array(EventTypeSchema).min(1).max(6).optional(),
  format: WebhookFormatSchema.optional(),
  holdWindows: z.number().int().min(1).max(MAX_WEBHOOK_HOLD_WINDOWS).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  /** `true` re-enables a subscription (after a 410 or by hand) and clears its flag; `false` pauses it. */
  isEnabled: z.boolean().optional(),
});
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBodySchema>;

export const WebhookSchema = z.object({
  id: IdSchema,
  ownerId: IdSchema,
  ownerUsername: z.string(),
  url: z.string(),
  events: z.array(EventTypeSchema),
  catalogId: IdSchema.nullable(),
  controlId: IdSchema.nullable(),
  format: WebhookFormatSchema,
  holdWindows: z.number().int(),
  description: z.string().nullable(),
  isEnabled: z.boolean(),
  /** `gone`: the receiver answered 410; `manual`: paused by a user. */
  disabledReason: z.enum(["gone", "manual"]).nullable(),
  /** Set when a delivery was dead-lettered after retrying for 24 hours. */
  flaggedAt: IsoDateTimeSchema.nullable(),
  flagReason: z.string().nullable(),
  /** Until when the secret before the last rotation still signs beside the new one. */
  previousSecretExpiresAt: IsoDateTimeSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  deletedAt: IsoDateTimeSchema.nullable(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** The answer of creation and of a secret rotation: the only time the signing secret (`whsec_…`) is shown. */
export const WebhookWithSecretSchema = WebhookSchema.extend({ secret: z.string().startsWith("whsec_") });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;

export const WebhookListQuerySchema = z.strictObject({
  ...PageQueryShape,
  includeDeleted: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});
export type WebhookListQuery = z.infer<typeof WebhookListQuerySchema>;
export const WebhookPageSchema = pageSchema(WebhookSchema);

export const WebhookDeliveryStatusSchema = z.enum(["pending", "delivered", "dead"]);

/** One event delivered (or being delivered) to one subscription, with its last attempt. */
export const WebhookDeliverySchema = z.object({
  id: IdSchema,
  subscriptionId: IdSchema,
  eventId: IdSchema.nullable(),
  /** The `webhook-id` header: the same on every attempt and replay. */
  messageId: z.string(),
  eventType: z.string(),
  status: WebhookDeliveryStatusSchema,
  attempt: z.number().int(),
  nextAttemptAt: IsoDateTimeSchema.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastDurationMs: z.number().int().nullable(),
  lastResponseExcerpt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: IsoDateTimeSchema.nullable(),
  deliveredAt: IsoDateTimeSchema.nullable(),
  createdAt: IsoDateTimeSchema,
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListQuerySchema = z.strictObject({ ...PageQueryShape });
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuerySchema>;
export const WebhookDeliveryPageSchema = pageSchema(WebhookDeliverySchema);

export const WebhookDeliveryParamsSchema = z.strictObject({ id: IdSchema, deliveryId: IdSchema });
export type WebhookDeliveryParams = z.infer<typeof WebhookDeliveryParamsSchema>;
