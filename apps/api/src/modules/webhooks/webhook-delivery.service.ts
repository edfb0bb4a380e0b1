import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { createOutboundClient, OutboundUrlRefusedError, type OutboundClient } from "../../lib/outbound-url.ts";
import { decryptSecret } from "../../lib/secret-box.ts";
import { webhookSignature } from "../../lib/standard-webhooks.ts";
import { toCloudEvent, type EventChannel, type OutboxEvent } from "../events/index.ts";
import { contentTypeOf, renderBody } from "./webhook-bodies.ts";
import {
  claimDueDeliveries,
  disableGoneSubscriptions,
  flagSubscriptions,
  insertDeliveries,
  listLiveSubscriptions,
  recordAttemptOutcomes,
  type AttemptOutcome,
  type ClaimedDelivery,
  type NewDelivery,
  type WebhookRow,
} from "./webhooks.repository.ts";

type DeliveryDeps = Pick<AppDeps, "db" | "config" | "log" | "now">;

/** The longest wait between two attempts, however many failed before. */
const MAX_RETRY_DELAY_MS = 3 * 3_600_000;

/** Whether a subscription takes an event: type, catalog and control filters, and its flapping guard. */
export function isSubscribedTo(subscription: WebhookRow, event: OutboxEvent): boolean {
  if (!subscription.events.includes(event.type)) return false;
  if (subscription.catalogId && subscription.catalogId !== event.catalogId) return false;
  if (subscription.controlId && subscription.controlId !== event.controlId) return false;
  // A state change is recorded for each window the new state holds (up to the longest guard); deliver the one that
  // held exactly as long as this subscription waits. Other events happen once.
  const isPointChange = event.type === "control.failing" || event.type === "control.recovered";
  return event.heldWindows === (isPointChange ? subscription.holdWindows : 1);
}

/** The webhook channel of the outbox: one delivery per event and matching subscription, with its body as sent. */
export function webhookChannel(deps: Pick<AppDeps, "config">): EventChannel {
  return {
    name: "webhooks",
    async enqueue(tx: Queryable, events: readonly OutboxEvent[]) {
      const subscriptions = await listLiveSubscriptions(tx);
      if (subscriptions.length === 0) return;
      const deliveries: NewDelivery[] = [];
      for (const event of events) {
        const cloudEvent = toCloudEvent(deps.config.publicUrl, event);
        for (const subscription of subscriptions) {
          if (!isSubscribedTo(subscription, event)) continue;
          deliveries.push({
            subscriptionId: subscription.id,
            eventId: event.id,
            // Stable for this event and this subscription: every retry and replay sends it again.
            messageId: `msg_${event.id.replaceAll("-", "")}_${subscription.id.slice(0, 8)}`,
            eventType: event.type,
            body: renderBody(subscription.format, cloudEvent),
            eventAt: new Date(event.occurredAt).toISOString(),
          });
        }
      }
      await insertDeliveries(tx, deliveries);
    },
  };
}

/** The delay before attempt `attempt + 1`: exponential from WEBHOOK_RETRY_BASE_MS, with ±50 % jitter. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(30, attempt - 1));
  return Math.round(exponential * (0.5 + Math.random()));
}

function signingSecrets(deps: DeliveryDeps, delivery: ClaimedDelivery): string[] {
  const key = deps.config.encryption.key;
  const secrets = [decryptSecret(key, delivery.secretEncrypted)];
  const previousExpiresAt = delivery.previousSecretExpiresAt ? new Date(delivery.previousSecretExpiresAt) : undefined;
  if (delivery.previousSecretEncrypted && previousExpiresAt && previousExpiresAt > deps.now())
    secrets.push(decryptSecret(key, delivery.previousSecretEncrypted));
  return secrets;
}

/** Sends one claimed delivery once and says what comes next for it. */
async function attemptDelivery(
  deps: DeliveryDeps,
  outbound: OutboundClient,
  delivery: ClaimedDelivery,
): Promise<AttemptOutcome> {
  const base = { id: delivery.id, attempt: delivery.attempt };
  let statusCode: number | null = null;
  let durationMs: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await outbound.post(
      delivery.url,
      {
        "content-type": contentTypeOf(delivery.format),
        "user-agent": "STATUS-Webhooks/1",
        "webhook-id": delivery.messageId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": webhookSignature(
          signingSecrets(deps, delivery),
          delivery.messageId,
          timestamp,
          delivery.body,
        ),
      },
      delivery.body,
      deps.config.webhooks.timeoutMs,
    );
    ({ statusCode, durationMs, excerpt } = response);
    if (statusCode >= 200 && statusCode < 300)
      return { ...base, status: "delivered", statusCode, durationMs, excerpt, error, nextAttemptInMs: null };
    if (statusCode === 410)
      return { ...base, status: "dead", statusCode, durationMs, excerpt, error: "410 Gone", nextAttemptInMs: null };
  } catch (caught) {
    error = caught instanceof OutboundUrlRefusedError ? `refused: ${caught.message}` : (caught as Error).message;
  }
  const delay = retryDelayMs(deps.config.webhooks.retryBaseMs, delivery.attempt);
  const isTooOld = Date.now() + delay - new Date(delivery.retrySince).getTime() > deps.config.webhooks.retryMaxAgeMs;
  return {
    ...base,
    status: isTooOld ? "dead" : "pending",
    statusCode,
    durationMs,
    excerpt,
    error,
    nextAttemptInMs: isTooOld ? null : delay,
  };
}

/**
 * Claims due deliveries (up to `limit`), sends them at once, and records every outcome in one statement: 410
 * disables the subscription, a dead letter flags it. Answers how many it sent.
 */
export async function deliverDueWebhooks(
  deps: DeliveryDeps,
  outbound: OutboundClient,
  limit: number,
  /** Told how many were claimed, before they are sent. */
  onClaimed: (count: number) => void = () => undefined,
): Promise<number> {
  const claimed = await claimDueDeliveries(deps.db, limit, deps.config.webhooks.leaseMs);
  onClaimed(claimed.length);
  if (claimed.length === 0) return 0;
  const outcomes = await Promise.all(claimed.map((delivery) => attemptDelivery(deps, outbound, delivery)));
  await recordAttemptOutcomes(deps.db, outcomes);
  const subscriptionOf = new Map(claimed.map((delivery) => [delivery.id, delivery.subscriptionId]));
  const gone = outcomes
    .filter((outcome) => outcome.statusCode === 410)
    .map((outcome) => subscriptionOf.get(outcome.id)!);
  const dead = outcomes
    .filter((outcome) => outcome.status === "dead" && outcome.statusCode !== 410)
    .map((outcome) => subscriptionOf.get(outcome.id)!);
  await disableGoneSubscriptions(deps.db, [...new Set(gone)]);
  await flagSubscriptions(
    deps.db,
    [...new Set(dead)],
    "A delivery failed for longer than the retry period (dead letter)",
  );
  return claimed.length;
}

/** The outbound client deliveries use: the URL guard at connect time, keep-alive connections. */
export function createWebhookOutbound(deps: Pick<AppDeps, "config">): OutboundClient {
  return createOutboundClient(deps.config.outbound.allowHosts);
}
