import type { EventType, MailDeliveryMode, NotificationScope, StatusCloudEvent } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

export interface PreferenceRow {
  eventTypes: EventType[];
  scope: NotificationScope;
  catalogIds: string[];
  controlIds: string[];
  delivery: MailDeliveryMode;
  /** As the pool's type parser gives timestamps: an ISO-like text. */
  updatedAt: string;
}

export async function findPreference(db: Queryable, userId: string): Promise<PreferenceRow | undefined> {
  const result = await db.query<PreferenceRow>(
    `select event_types as "eventTypes", scope, catalog_ids::text[] as "catalogIds",
            control_ids::text[] as "controlIds", delivery, updated_at as "updatedAt"
       from notification_preferences where user_id = $1`,
    [userId],
  );
  return result.rows[0];
}

export async function upsertPreference(
  db: Queryable,
  input: Omit<PreferenceRow, "updatedAt"> & { userId: string; now: Date },
): Promise<void> {
  await db.query(
    `insert into notification_preferences (user_id, event_types, scope, catalog_ids, control_ids, delivery, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (user_id) do update set event_types = excluded.event_types, scope = excluded.scope,
       catalog_ids = excluded.catalog_ids, control_ids = excluded.control_ids, delivery = excluded.delivery,
       updated_at = excluded.updated_at`,
    [input.userId, input.eventTypes, input.scope, input.catalogIds, input.controlIds, input.delivery, input.now],
  );
}

export interface Recipient {
  userId: string;
  delivery: MailDeliveryMode;
}

/**
 * Enabled users with an e-mail address whose preference takes this event type for this catalog or control.
 * `followerIds`: the users who own or watch the control (for the `owned_or_watched` scope).
 */
/** What a user who never saved notification preferences gets: mail about the controls they own or watch. */
export const DEFAULT_MAIL_PREFERENCES = {
  eventTypes: ["control.failing", "control.recovered", "control.stale", "control.fresh", "run.error"] as EventType[],
  scope: "owned_or_watched" as const,
  delivery: "immediate" as const,
};

export async function findRecipients(
  db: Queryable,
  input: { eventType: string; catalogId: string; controlId: string | null; followerIds: string[] },
): Promise<Recipient[]> {
  // A user who never saved preferences has the defaults (DEFAULT_MAIL_PREFERENCES): the control events of the
  // controls they own or watch, immediately.
  const result = await db.query<Recipient>(
    `select p.user_id as "userId", p.delivery
       from notification_preferences p
       join users u on u.id = p.user_id
      where not u.is_disabled and u.email is not null and $1 = any(p.event_types)
        and (p.scope = 'all'
             or (p.scope = 'selected' and ($2::uuid = any(p.catalog_ids) or $3::uuid = any(p.control_ids)))
             or (p.scope = 'owned_or_watched' and p.user_id = any($4::uuid[])))
     union
     select u.id, $6
       from users u
      where u.id = any($4::uuid[]) and not u.is_disabled and u.email is not null and $1 = any($5::text[])
        and not exists (select 1 from notification_preferences p where p.user_id = u.id)`,
    [
      input.eventType,
      input.catalogId,
      input.controlId,
      input.followerIds,
      DEFAULT_MAIL_PREFERENCES.eventTypes,
      DEFAULT_MAIL_PREFERENCES.delivery,
    ],
  );
  return result.rows;
}

/** Queues the event for each recipient once; an event handed over again adds nothing. Answers the rows added. */
export async function enqueueMail(
  db: Queryable,
  input: { event: StatusCloudEvent; recipients: (Recipient & { dueAt: Date })[]; now: Date },
): Promise<number> {
  if (input.recipients.length === 0) return 0;
  const result = await db.query(
    `insert into mail_queue (user_id, event_id, event_type, event, delivery, due_at, created_at)
     select recipient.user_id, $1, $2, $3, recipient.delivery, recipient.due_at, $4
       from unnest($5::uuid[], $6::text[], $7::timestamptz[]) as recipient (user_id, delivery, due_at)
     on conflict (event_id, user_id) do nothing`,
    [
      input.event.id,
      input.event.type,
      JSON.stringify(input.event),
      input.now,
      input.recipients.map((recipient) => recipient.userId),
      input.recipients.map((recipient) => recipient.delivery),
      input.recipients.map((recipient) => recipient.dueAt),
    ],
  );
  return result.rowCount ?? 0;
}

/** Users with mail due at `now` (at most `limit`), oldest due first. */
export async function listUsersWithDueMail(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const result = await db.query<{ userId: string }>(
    `select user_id as "userId" from mail_queue
      where sent_at is null and due_at <= $1
      group by user_id order by min(due_at) limit $2`,
    [now, limit],
  );
  return result.rows.map((row) => row.userId);
}

export interface DueMail {
  id: string;
  event: StatusCloudEvent;
  delivery: MailDeliveryMode;
  attempts: number;
  email: string | null;
}

/** Claims a user's due rows until the transaction ends; rows another sender holds are skipped. */
export async function claimDueMail(db: Queryable, userId: string, now: Date): Promise<DueMail[]> {
  const result = await db.query<DueMail>(
    `select q.id::text as id, q.event, q.delivery, q.attempts,
            (select u.email from users u where u.id = q.user_id and not u.is_disabled) as email
       from mail_queue q
      where q.user_id = $1 and q.sent_at is null and q.due_at <= $2
      order by q.created_at, q.id
      for update of q skip locked`,
    [userId, now],
  );
  return result.rows;
}

export async function markMailSent(db: Queryable, ids: string[], now: Date): Promise<void> {
  await db.query("update mail_queue set sent_at = $2, attempts = attempts + 1, last_error = null where id = any($1)", [
    ids,
    now,
  ]);
}

/** A failed send: the rows stay unsent and come due again at `retryAt`. */
export async function postponeMail(
  db: Queryable,
  input: { ids: string[]; retryAt: Date; error: string },
): Promise<void> {
  await db.query("update mail_queue set attempts = attempts + 1, last_error = $2, due_at = $3 where id = any($1)", [
    input.ids,
    input.error.slice(0, 1000),
    input.retryAt,
  ]);
}

export async function findUserEmail(db: Queryable, userId: string): Promise<string | null> {
  const result = await db.query<{ email: string | null }>("select email from users where id = $1", [userId]);
  return result.rows[0]?.email ?? null;
}

/** The users who own or watch a control (the handling module's tables, read for `owned_or_watched` preferences). */
export async function listControlFollowers(db: Queryable, controlId: string): Promise<string[]> {
  const result = await db.query<{ userId: string }>(
    `select user_id as "userId" from control_owners where control_id = $1
     union select user_id from control_watchers where control_id = $1`,
    [controlId],
  );
  return result.rows.map((row) => row.userId);
}
