import {
  CreateWebhookBodySchema,
  IdParamsSchema,
  UpdateWebhookBodySchema,
  WebhookDeliveryListQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookDeliveryParamsSchema,
  WebhookDeliverySchema,
  WebhookListQuerySchema,
  WebhookPageSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
} from "./webhooks.service.ts";

const tag = "Webhooks";

/** Signed webhook subscriptions: DEVELOPER manages their own, ADMIN every one. */
export function webhookRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/webhooks",
      summary: "List your webhook subscriptions (ADMIN: everyone's)",
      tag,
      access: "DEVELOPER",
      query: WebhookListQuerySchema,
      responses: { 200: { description: "A page of subscriptions", schema: WebhookPageSchema } },
      async handler({ res, actor, query }) {
        res.json(await listWebhooks(deps, actor, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/webhooks",
      summary: "Subscribe a URL to events; the signing secret (whsec_…) is in this answer only",
      tag,
      access: "DEVELOPER",
      body: CreateWebhookBodySchema,
      responses: { 201: { description: "The subscription, with its secret", schema: WebhookWithSecretSchema } },
      async handler({ res, actor, body }) {
        const webhook = await createWebhook(deps, actor, body);
        res.status(201).location(`/api/v1/webhooks/${webhook.id}`).set("Cache-Control", "no-store").json(webhook);
      },
    }),
    defineRoute({
      method: "get",
      path: "/webhooks/:id",
      summary: "Get a webhook subscription",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 200: { description: "The subscription", schema: WebhookSchema } },
      async handler({ res, actor, params }) {
        res.json(await getWebhook(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/webhooks/:id",
      summary: "Change a webhook subscription, pause it or enable it again",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UpdateWebhookBodySchema,
      responses: { 200: { description: "The subscription", schema: WebhookSchema } },
      async handler({ res, actor, params, body }) {
        res.json(await updateWebhook(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/webhooks/:id",
      summary: "Delete (archive) a webhook subscription; its delivery log stays readable",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 204: { description: "Archived" } },
      async handler({ res, actor, params }) {
        await deleteWebhook(deps, actor, params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "post",
      path: "/webhooks/:id/rotate-secret",
      summary: "Rotate the signing secret; the previous one still signs for 24 hours",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 200: { description: "The subscription, with its new secret", schema: WebhookWithSecretSchema } },
      async handler({ res, actor, params }) {
        res.set("Cache-Control", "no-store").json(await rotateWebhookSecret(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/webhooks/:id/test",
      summary: "Queue a test event; a worker delivers it now",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 202: { description: "The queued delivery", schema: WebhookDeliverySchema } },
      async handler({ res, actor, params }) {
        res.status(202).json(await sendTestEvent(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/webhooks/:id/deliveries",
      summary: "The subscription's delivery log, newest first",
      tag,
      access: "DEVELOPER",
      params: IdParamsSchema,
      query: WebhookDeliveryListQuerySchema,
      responses: { 200: { description: "A page of deliveries", schema: WebhookDeliveryPageSchema } },
      async handler({ res, actor, params, query }) {
        res.json(await listWebhookDeliveries(deps, actor, params.id, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/webhooks/:id/deliveries/:deliveryId/replay",
      summary: "Send a delivery again (same webhook-id and body)",
      tag,
      access: "DEVELOPER",
      params: WebhookDeliveryParamsSchema,
      responses: { 202: { description: "The delivery, queued again", schema: WebhookDeliverySchema } },
      async handler({ res, actor, params }) {
        res.status(202).json(await replayWebhookDelivery(deps, actor, params.id, params.deliveryId));
      },
    }),
  ];
}
