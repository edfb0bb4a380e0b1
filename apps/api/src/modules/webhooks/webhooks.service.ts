import { randomUUID } from "node:crypto";
import type {
  CreateWebhookBody,
  Page,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookListQuery,
  WebhookWithSecret,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { AppError, NotFoundError, ValidationError } from "../../errors.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import { encryptSecret, decryptSecret } from "../../lib/secret-box.ts";
import { generateWebhookSecret } from "../../lib/standard-webhooks.ts";
import { recordAudit } from "../audit/index.ts";
import { renderBody } from "./webhook-bodies.ts";
import {
  archiveSubscription,
  catalogExists,
  findControlCatalogId,
  findDelivery,
  findSubscription,
  insertDeliveries,
  insertSubscription,
  listDeliveries,
  listSubscriptions,
  requeueDelivery,
  rotateSubscriptionSecret,
  updateSubscription,
  type WebhookRow,
} from "./webhooks.repository.ts";

type WebhookDeps = Pick<AppDeps, "db" | "config" | "now">;

/** After a rotation the previous secret signs beside the new one this long, so receivers can switch over. */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 3_600_000;

function toWebhook(row: WebhookRow): Webhook {
  const { secretEncrypted: _secret, previousSecretEncrypted: _previous, ...webhook } = row;
  return webhook;
}

/** 422 `url_not_allowed` unless the URL passes the outbound guard (scheme, and where its host resolves now). */
async function assertUrlAllowed(deps: WebhookDeps, url: string): Promise<void> {
  const refusal = await checkOutboundUrl(url, deps.config.outbound.allowHosts);
  if (refusal) throw new AppError(422, "url_not_allowed", "URL not allowed", `The URL is refused: ${refusal}`);
}

/** A subscription the actor may manage: its own, or any for ADMIN; anybody else's answers 404. */
async function findManageable(db: Queryable, actor: Actor, id: string, forUpdate = false): Promise<WebhookRow> {
  const row = await findSubscription(db, id, { forUpdate });
  if (!row || (actor.role !== "ADMIN" && row.ownerId !== actor.userId)) throw new NotFoundError("webhook", id);
  return row;
}

/** The catalog a filter names, checked; a control names its own catalog, and one named beside it must match. */
async function resolveFilter(
  db: Queryable,
  input: { catalogId?: string; controlId?: string },
): Promise<{ catalogId: string | null; controlId: string | null }> {
  if (input.controlId) {
    const catalogId = await findControlCatalogId(db, input.controlId);
    if (!catalogId) throw new ValidationError([{ path: "body.controlId", message: "No control with this id" }]);
    if (input.catalogId && input.catalogId !== catalogId)
      throw new ValidationError([{ path: "body.catalogId", message: "The control belongs to another catalog" }]);
    return { catalogId, controlId: input.controlId };
  }
  if (input.catalogId && !(await catalogExists(db, input.catalogId)))
    throw new ValidationError([{ path: "body.catalogId", message: "No catalog with this id" }]);
  return { catalogId: input.catalogId ?? null, controlId: null };
}

/** Creates a subscription of the actor's; the signing secret is in this answer only, and stored encrypted. */
export async function createWebhook(
  deps: WebhookDeps,
  actor: Actor,
  input: CreateWebhookBody,
): Promise<WebhookWithSecret> {
  await assertUrlAllowed(deps, input.url);
  const secret = generateWebhookSecret();
  return withTransaction(deps.db, async (tx) => {
    const filter = await resolveFilter(tx, input);
    const id = await insertSubscription(tx, {
      ownerId: actor.userId,
      url: input.url,
      events: [...new Set(input.events)],
      ...filter,
      format: input.format,
      holdWindows: input.holdWindows,
      description: input.description ?? null,
      secretEncrypted: encryptSecret(deps.config.encryption.key, secret),
    });
    const webhook = toWebhook((await findSubscription(tx, id))!);
    await recordAudit(tx, actor, { action: "create", resourceType: "webhook", resourceId: id, after: webhook });
    return { ...webhook, secret };
  });
}

/** The actor's subscriptions (ADMIN: everyone's), newest first. */
export async function listWebhooks(deps: WebhookDeps, actor: Actor, query: WebhookListQuery): Promise<Page<Webhook>> {
  const page = await listSubscriptions(deps.db, {
    ownerId: actor.role === "ADMIN" ? undefined : actor.userId,
    ...query,
  });
  return { ...page, items: page.items.map(toWebhook) };
}

export async function getWebhook(deps: WebhookDeps, actor: Actor, id: string): Promise<Webhook> {
  return toWebhook(await findManageable(deps.db, actor, id));
}

/** Applies a partial update; `isEnabled: true` re-enables a subscription a 410 disabled and clears its flag. */
export async function updateWebhook(
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  input: UpdateWebhookBody,
): Promise<Webhook> {
  if (input.url !== undefined) await assertUrlAllowed(deps, input.url);
  return withTransaction(deps.db, async (tx) => {
    const before = await findManageable(tx, actor, id, true);
    if (before.deletedAt) throw new NotFoundError("webhook", id);
    const isEnabled = input.isEnabled ?? before.isEnabled;
    await updateSubscription(tx, id, {
      url: input.url ?? before.url,
      events: input.events ? [...new Set(input.events)] : before.events,
      format: input.format ?? before.format,
      holdWindows: input.holdWindows ?? before.holdWindows,
      description: input.description !== undefined ? input.description : before.description,
      isEnabled,
      disabledReason: isEnabled ? null : input.isEnabled === false ? "manual" : before.disabledReason,
      isFlagCleared: input.isEnabled === true,
    });
    const after = toWebhook((await findSubscription(tx, id))!);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "webhook",
      resourceId: id,
      before: toWebhook(before),
      after,
    });
    return after;
  });
}

/** Archives a subscription: no more deliveries; it and its delivery log stay readable (includeDeleted). */
export async function deleteWebhook(deps: WebhookDeps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await findManageable(tx, actor, id, true);
    if (before.deletedAt) throw new NotFoundError("webhook", id);
    await archiveSubscription(tx, id);
    await recordAudit(tx, actor, {
      action: "archive",
      resourceType: "webhook",
      resourceId: id,
      before: toWebhook(before),
    });
  });
}

/** A new signing secret, shown once; the previous one keeps signing beside it for 24 hours. */
export async function rotateWebhookSecret(deps: WebhookDeps, actor: Actor, id: string): Promise<WebhookWithSecret> {
  const secret = generateWebhookSecret();
  return withTransaction(deps.db, async (tx) => {
    const before = await findManageable(tx, actor, id, true);
    if (before.deletedAt) throw new NotFoundError("webhook", id);
    const key = deps.config.encryption.key;
    await rotateSubscriptionSecret(tx, id, {
      secretEncrypted: encryptSecret(key, secret),
      // Re-encrypted rather than copied, so the stored blob is always one this key wrote.
      previousSecretEncrypted: encryptSecret(key, decryptSecret(key, before.secretEncrypted)),
      previousSecretExpiresAt: new Date(deps.now().getTime() + PREVIOUS_SECRET_VALIDITY_MS),
    });
    const after = toWebhook((await findSubscription(tx, id))!);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "webhook",
      resourceId: id,
      after: { ...after, isSecretRotated: true },
    });
    return { ...after, secret };
  });
}

/**
 * Queues a test event for the subscription, delivered by a worker like any other (never in this request); answers
 * the delivery, whose log shows the outcome.
 */
export async function sendTestEvent(deps: WebhookDeps, actor: Actor, id: string): Promise<WebhookDelivery> {
  const row = await findManageable(deps.db, actor, id);
  if (row.deletedAt) throw new NotFoundError("webhook", id);
  const eventId = randomUUID();
  const now = deps.now().toISOString();
  const body = renderBody(row.format, {
    specversion: "1.0",
    id: eventId,
    source: `${deps.config.publicUrl}/webhooks/${row.id}`,
    type: "status.webhook.test",
    time: now,
    datacontenttype: "application/json",
    data: {
      catalog: { id: row.catalogId ?? "00000000-0000-0000-0000-000000000000", name: "Test event" },
      control: null,
      scope: {},
      window: null,
      previousState: null,
      newState: null,
      compliance: null,
      threshold: null,
      computationUrl: null,
      evidenceUrl: null,
    },
  });
  const [deliveryId] = await insertDeliveries(deps.db, [
    {
      subscriptionId: row.id,
      eventId: null,
      messageId: `msg_test${eventId.replaceAll("-", "")}_${row.id.slice(0, 8)}`,
      eventType: "status.webhook.test",
      body,
      eventAt: now,
    },
  ]);
  return (await findDelivery(deps.db, row.id, deliveryId!))!;
}

export async function listWebhookDeliveries(
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  query: WebhookDeliveryListQuery,
): Promise<Page<WebhookDelivery>> {
  await findManageable(deps.db, actor, id);
  return listDeliveries(deps.db, id, query);
}

/** Sends a delivery again (same webhook-id, same body) as soon as a worker is free; its retries start over. */
export async function replayWebhookDelivery(
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  return withTransaction(deps.db, async (tx) => {
    const row = await findManageable(tx, actor, id);
    if (row.deletedAt) throw new NotFoundError("webhook", id);
    if (!(await findDelivery(tx, id, deliveryId))) throw new NotFoundError("webhook delivery", deliveryId);
    await requeueDelivery(tx, deliveryId);
    return (await findDelivery(tx, id, deliveryId))!;
  });
}
