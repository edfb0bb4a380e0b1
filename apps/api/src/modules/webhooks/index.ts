export { webhookSecretColumns } from "./webhook-encrypted-columns.ts";
export { createWebhookOutbound, deliverDueWebhooks, webhookChannel } from "./webhook-delivery.service.ts";
export { webhookRoutes } from "./webhooks.routes.ts";
export { createWebhook } from "./webhooks.service.ts";
