import type { WebhookListQuery } from "@status/shared";

/** Query keys of the notifications feature; mutations invalidate through the same factory. */
export const notificationKeys = {
  all: ["notifications"] as const,
  webhooks: () => [...notificationKeys.all, "webhooks"] as const,
  webhookList: (query: WebhookListQuery) => [...notificationKeys.webhooks(), "list", query] as const,
  deliveries: (webhookId: string) => [...notificationKeys.all, "deliveries", webhookId] as const,
  events: () => [...notificationKeys.all, "events"] as const,
};
