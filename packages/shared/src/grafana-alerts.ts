import { z } from "zod";
import { IsoDateTimeSchema } from "./common.ts";

const LabelsSchema = z.record(z.string().max(200), z.string().max(2000));

/** Grafana's timestamps; a resolved-never alert carries `0001-01-01T00:00:00Z` as its end. */
const GrafanaTimeSchema = z.iso.datetime({ offset: true, message: "Must be an ISO 8601 date-time" });

/** One alert instance of a Grafana webhook notification (Grafana's webhook payload, version 1). */
export const GrafanaWebhookAlertSchema = z.looseObject({
  status: z.enum(["firing", "resolved"]),
  labels: LabelsSchema,
  annotations: LabelsSchema.default({}),
  startsAt: GrafanaTimeSchema,
  endsAt: GrafanaTimeSchema.optional(),
  generatorURL: z.string().max(2000).optional(),
  fingerprint: z.string().min(1).max(100),
  valueString: z.string().max(2000).optional(),
});
export type GrafanaWebhookAlert = z.infer<typeof GrafanaWebhookAlertSchema>;

/**
 * `POST /integrations/grafana/alerts`: what Grafana's webhook contact point sends (a group of alerts); fields
 * STATUS does not read are accepted and ignored.
 */
export const GrafanaWebhookBodySchema = z.looseObject({
  receiver: z.string().max(200).optional(),
  status: z.enum(["firing", "resolved"]),
  alerts: z.array(GrafanaWebhookAlertSchema).max(1000),
});
export type GrafanaWebhookBody = z.infer<typeof GrafanaWebhookBodySchema>;

/** How many alerts of a notification were new to STATUS (a repeated notification records none). */
export const GrafanaAlertsReceiptSchema = z.object({ received: z.number().int(), recorded: z.number().int() });
export type GrafanaAlertsReceipt = z.infer<typeof GrafanaAlertsReceiptSchema>;

/** An alert as STATUS recorded it. */
export const GrafanaAlertSchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  status: z.enum(["firing", "resolved"]),
  ruleUid: z.string().nullable(),
  title: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  valueString: z.string().nullable(),
  startsAt: IsoDateTimeSchema,
  endsAt: IsoDateTimeSchema.nullable(),
  receivedAt: IsoDateTimeSchema,
});
export type GrafanaAlert = z.infer<typeof GrafanaAlertSchema>;

export const GrafanaAlertListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type GrafanaAlertListQuery = z.infer<typeof GrafanaAlertListQuerySchema>;

export const GrafanaAlertListSchema = z.object({ items: z.array(GrafanaAlertSchema) });
export type GrafanaAlertList = z.infer<typeof GrafanaAlertListSchema>;
