import type { Page, Webhook, WebhookDelivery, WebhookFormat } from "@status/shared";
import { namedStatement, type Queryable } from "../../db/database.ts";

/** A subscription with its encrypted secrets, as the service and the deliverer use it. */
export interface WebhookRow extends Webhook {
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
}

const SUBSCRIPTION_COLUMNS = `s.id, s.owner_id as "ownerId", u.username as "ownerUsername", s.url, s.event_types as events,
  s.catalog_id as "catalogId", s.control_id as "controlId", s.format, s.hold_windows as "holdWindows", s.description,
  s.is_enabled as "isEnabled", s.disabled_reason as "disabledReason", s.flagged_at as "flaggedAt", s.flag_reason as "flagReason",
  s.previous_secret_expires_at as "previousSecretExpiresAt", s.created_at as "createdAt", s.updated_at as "updatedAt",
  s.deleted_at as "deletedAt", s.secret_encrypted as "secretEncrypted", s.previous_secret_encrypted as "previousSecretEncrypted"`;

const DELIVERY_COLUMNS = `d.id, d.subscription_id as "subscriptionId", d.event_id as "eventId", d.message_id as "messageId",
  d.event_type as "eventType", d.status, d.attempt, case when d.status = 'pending' then d.next_attempt_at end as "nextAttemptAt",
  d.last_status_code as "lastStatusCode", d.last_duration_ms as "lastDurationMs", d.last_response_excerpt as "lastResponseExcerpt",
  d.last_error as "lastError", d.last_attempt_at as "lastAttemptAt", d.delivered_at as "deliveredAt", d.created_at as "createdAt"`;

export interface NewSubscription {
  ownerId: string;
  url: string;
  events: string[];
  catalogId: string | null;
  controlId: string | null;
  format: WebhookFormat;
  holdWindows: number;
  description: string | null;
  secretEncrypted: string;
}

export async function insertSubscription(tx: Queryable, row: NewSubscription): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `insert into webhook_subscriptions (owner_id, url, event_types, catalog_id, control_id, format, hold_windows, description,
                                        secret_encrypted)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      row.ownerId,
      row.url,
      row.events,
      row.catalogId,
      row.controlId,
      row.format,
      row.holdWindows,
      row.description,
      row.secretEncrypted,
    ],
  );
  return result.rows[0]!.id;
}

export async function findSubscription(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookRow | undefined> {
  const result = await db.query<WebhookRow>(
    `select ${SUBSCRIPTION_COLUMNS} from webhook_subscriptions s join users u on u.id = s.owner_id where s.id = $1
     ${options.forUpdate ? "for update of s" : ""}`,
    [id],
  );
  return result.rows[0];
}

/** A page of subscriptions, newest first: every one (ownerId undefined) or one user's. */
export async function listSubscriptions(
  db: Queryable,
  filter: { ownerId: string | undefined; includeDeleted: boolean; page: number; pageSize: number },
): Promise<Page<WebhookRow>> {
  const result = await db.query<WebhookRow & { total: number }>(
    `select ${SUBSCRIPTION_COLUMNS}, count(*) over ()::int as total
       from webhook_subscriptions s join users u on u.id = s.owner_id
      where ($1::uuid is null or s.owner_id = $1) and ($2 or s.deleted_at is null)
      order by s.created_at desc, s.id limit $3 offset $4`,
    [filter.ownerId ?? null, filter.includeDeleted, filter.pageSize, (filter.page - 1) * filter.pageSize],
  );
  return {
    items: result.rows.map(({ total: _total, ...row }) => row),
    total: result.rows[0]?.total ?? 0,
    page: filter.page,
    pageSize: filter.pageSize,
  };
}

export interface SubscriptionChanges {
  url: string;
  events: string[];
  format: WebhookFormat;
  holdWindows: number;
  description: string | null;
  isEnabled: boolean;
  disabledReason: "gone" | "manual" | null;
  isFlagCleared: boolean;
}

export async function updateSubscription(tx: Queryable, id: string, changes: SubscriptionChanges): Promise<void> {
  await tx.query(
    `update webhook_subscriptions
        set url = $2, event_types = $3, format = $4, hold_windows = $5, description = $6, is_enabled = $7,
            disabled_reason = $8, flagged_at = case when $9 then null else flagged_at end,
            flag_reason = case when $9 then null else flag_reason end, updated_at = now()
      where id = $1`,
    [
      id,
      changes.url,
      changes.events,
      changes.format,
      changes.holdWindows,
      changes.description,
      changes.isEnabled,
      changes.disabledReason,
      changes.isFlagCleared,
    ],
  );
}

/** Archives a subscription: it stops receiving events, and its delivery log stays. */
export async function archiveSubscription(tx: Queryable, id: string): Promise<void> {
  await tx.query(
    "update webhook_subscriptions set deleted_at = now(), is_enabled = false, updated_at = now() where id = $1",
    [id],
  );
}

export async function rotateSubscriptionSecret(
  tx: Queryable,
  id: string,
  secrets: { secretEncrypted: string; previousSecretEncrypted: string; previousSecretExpiresAt: Date },
): Promise<void> {
  await tx.query(
    `update webhook_subscriptions set secret_encrypted = $2, previous_secret_encrypted = $3,
            previous_secret_expires_at = $4, updated_at = now() where id = $1`,
    [id, secrets.secretEncrypted, secrets.previousSecretEncrypted, secrets.previousSecretExpiresAt],
  );
}

/** The subscription of a control's catalog, for the filter's consistency: undefined when the control is unknown. */
export async function findControlCatalogId(db: Queryable, controlId: string): Promise<string | undefined> {
  const result = await db.query<{ catalogId: string }>(`select catalog_id as "catalogId" from controls where id = $1`, [
    controlId,
  ]);
  return result.rows[0]?.catalogId;
}

export async function catalogExists(db: Queryable, catalogId: string): Promise<boolean> {
  const result = await db.query("select 1 from catalogs where id = $1", [catalogId]);
  return (result.rowCount ?? 0) > 0;
}

/** Every live subscription (enabled, not archived), for fanning out a batch of events. */
export async function listLiveSubscriptions(tx: Queryable): Promise<WebhookRow[]> {
  const result = await tx.query<WebhookRow>(
    `select ${SUBSCRIPTION_COLUMNS} from webhook_subscriptions s join users u on u.id = s.owner_id
      where s.deleted_at is null and s.is_enabled`,
  );
  return result.rows;
}

export interface NewDelivery {
  subscriptionId: string;
  eventId: string | null;
  messageId: string;
  eventType: string;
  body: string;
  eventAt: string;
}

/** Inserts deliveries; one that exists already for its subscription and message id is kept (at-least-once). */
export async function insertDeliveries(tx: Queryable, deliveries: readonly NewDelivery[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const result = await tx.query<{ id: string }>(
    `insert into webhook_deliveries (subscription_id, event_id, message_id, event_type, body, event_at)
     select x."subscriptionId", x."eventId", x."messageId", x."eventType", x.body, x."eventAt"
       from jsonb_to_recordset($1::jsonb) as x("subscriptionId" uuid, "eventId" uuid, "messageId" text, "eventType" text,
                                                body text, "eventAt" timestamptz)
     on conflict (subscription_id, message_id) do nothing returning id`,
    [JSON.stringify(deliveries)],
  );
  return result.rows.map((row) => row.id);
}

export async function listDeliveries(
  db: Queryable,
  subscriptionId: string,
  page: { page: number; pageSize: number },
): Promise<Page<WebhookDelivery>> {
  const result = await db.query<WebhookDelivery & { total: number }>(
    `select ${DELIVERY_COLUMNS}, count(*) over ()::int as total from webhook_deliveries d
      where d.subscription_id = $1 order by d.created_at desc, d.id limit $2 offset $3`,
    [subscriptionId, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return {
    items: result.rows.map(({ total: _total, ...row }) => row),
    total: result.rows[0]?.total ?? 0,
    page: page.page,
    pageSize: page.pageSize,
  };
}

export async function findDelivery(
  db: Queryable,
  subscriptionId: string,
  deliveryId: string,
): Promise<WebhookDelivery | undefined> {
  const result = await db.query<WebhookDelivery>(
    `select ${DELIVERY_COLUMNS} from webhook_deliveries d where d.subscription_id = $1 and d.id = $2`,
    [subscriptionId, deliveryId],
  );
  return result.rows[0];
}

/** Sends a delivery again, now, with the same webhook-id and body; its retries start over. */
export async function requeueDelivery(tx: Queryable, deliveryId: string): Promise<void> {
  await tx.query(
    `update webhook_deliveries set status = 'pending', next_attempt_at = now(), retry_since = now(), lease_until = null
      where id = $1`,
    [deliveryId],
  );
}

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  messageId: string;
  body: string;
  attempt: number;
  retrySince: string;
  eventAt: string;
  url: string;
  format: WebhookFormat;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: string | null;
}

/**
 * Claims up to `limit` due deliveries of live subscriptions for one attempt each: FOR UPDATE SKIP LOCKED, so workers
 * share them, and a lease of `leaseMs`, so the delivery of a worker that died comes back to another after it.
 */
export async function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  // Named (prepared once per connection): each worker's delivery loops poll with it several times a second, idle or
  // not, and parsing and planning it cost about nine tenths of its server time (0.6 of 0.7 ms, log_statement_stats).
  const result = await db.query<ClaimedDelivery>(
    namedStatement(
      "webhook_deliveries_claim_due",
      `with due as (
       select d.id from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
        where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until <= now())
          and s.is_enabled and s.deleted_at is null
        order by d.next_attempt_at limit $1 for update of d skip locked
     )
     update webhook_deliveries d set lease_until = now() + $2 * interval '1 millisecond', attempt = d.attempt + 1
       from due, webhook_subscriptions s
      where d.id = due.id and s.id = d.subscription_id
     returning d.id, d.subscription_id as "subscriptionId", d.message_id as "messageId", d.body, d.attempt,
               d.retry_since as "retrySince", d.event_at as "eventAt", s.url, s.format, s.secret_encrypted as "secretEncrypted",
               s.previous_secret_encrypted as "previousSecretEncrypted", s.previous_secret_expires_at as "previousSecretExpiresAt"`,
    ),
    [limit, leaseMs],
  );
  return result.rows;
}

/** The outcome of one attempt; `nextAttemptInMs` set: retry then, status stays pending. */
export interface AttemptOutcome {
  id: string;
  attempt: number;
  status: "pending" | "delivered" | "dead";
  statusCode: number | null;
  durationMs: number | null;
  excerpt: string | null;
  error: string | null;
  nextAttemptInMs: number | null;
}

/**
 * Records attempts' outcomes in one statement, each fenced by its attempt number: a worker whose lease ran out and
 * whose delivery another worker took again cannot overwrite the newer attempt.
 */
export async function recordAttemptOutcomes(db: Queryable, outcomes: readonly AttemptOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `update webhook_deliveries d
        set status = x.status, last_status_code = x."statusCode", last_duration_ms = x."durationMs",
            last_response_excerpt = x.excerpt, last_error = x.error, last_attempt_at = now(), lease_until = null,
            delivered_at = case when x.status = 'delivered' then now() else d.delivered_at end,
            next_attempt_at = case when x."nextAttemptInMs" is null then d.next_attempt_at
                                   else now() + x."nextAttemptInMs" * interval '1 millisecond' end
       from jsonb_to_recordset($1::jsonb) as x(id uuid, attempt int, status text, "statusCode" int, "durationMs" int,
                                               excerpt text, error text, "nextAttemptInMs" int)
      where d.id = x.id and d.attempt = x.attempt`,
    [JSON.stringify(outcomes)],
  );
}

/** A receiver answered 410 Gone: the subscription stops until someone enables it again. */
export async function disableGoneSubscriptions(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `update webhook_subscriptions set is_enabled = false, disabled_reason = 'gone', updated_at = now()
      where id = any($1::uuid[]) and is_enabled`,
    [ids],
  );
}

/** A delivery was dead-lettered: the subscription is flagged (it keeps receiving new events). */
export async function flagSubscriptions(db: Queryable, ids: readonly string[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    "update webhook_subscriptions set flagged_at = now(), flag_reason = $2, updated_at = now() where id = any($1::uuid[])",
    [ids, reason],
  );
}

export async function listEncryptedWebhookSecretsForUpdate(tx: Queryable): Promise<{ id: string; blob: string }[]> {
  const result = await tx.query<{ id: string; blob: string }>(
    "select id, secret_encrypted as blob from webhook_subscriptions order by id for update",
  );
  return result.rows;
}

export async function writeEncryptedWebhookSecret(tx: Queryable, id: string, blob: string): Promise<void> {
  await tx.query("update webhook_subscriptions set secret_encrypted = $2 where id = $1", [id, blob]);
}

export async function listEncryptedPreviousWebhookSecretsForUpdate(
  tx: Queryable,
): Promise<{ id: string; blob: string }[]> {
  const result = await tx.query<{ id: string; blob: string }>(
    `select id, previous_secret_encrypted as blob from webhook_subscriptions
      where previous_secret_encrypted is not null order by id for update`,
  );
  return result.rows;
}

export async function writeEncryptedPreviousWebhookSecret(tx: Queryable, id: string, blob: string): Promise<void> {
  await tx.query("update webhook_subscriptions set previous_secret_encrypted = $2 where id = $1", [id, blob]);
}
