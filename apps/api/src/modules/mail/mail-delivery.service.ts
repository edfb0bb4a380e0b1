import { EventTypeSchema, type MailDeliveryMode, type StatusCloudEvent } from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import {
  claimDueMail,
  enqueueMail,
  findRecipients,
  listUsersWithDueMail,
  markMailSent,
  postponeMail,
} from "./mail.repository.ts";
import { renderMail } from "./mail-message.ts";
import { sendMail } from "./mail-transport.ts";

const HOUR_MS = 3_600_000;
/** A failed send is tried again after 1, 2, 4… minutes, never later than an hour; it is never given up. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = HOUR_MS;
/** Users served per flush; the next flush takes the rest. */
const FLUSH_BATCH_USERS = 500;

/**
 * The users who own or watch a control, for preferences with the `owned_or_watched` scope. Ownership lives in
 * another module; whoever calls the deliverer passes the lookup (none: such preferences match nothing yet).
 */
export type ControlFollowers = (controlId: string) => Promise<string[]>;

export interface MailDeliveryOptions {
  controlFollowers?: ControlFollowers;
}

export interface DeliveryOutcome {
  /** Rows added to the mail queue (one per recipient; 0 for an event handed over again). */
  queued: number;
  /** Mails sent now (immediate recipients). */
  sent: number;
  /** Users whose mail could not be sent now; it stays queued and is retried by flushDigests. */
  failed: number;
}

/** When a mail of this delivery mode is due: now, or the end of the current UTC hour or day. */
export function dueAtFor(delivery: MailDeliveryMode, now: Date): Date {
  if (delivery === "immediate") return now;
  if (delivery === "hourly") return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(day.getTime() + 24 * HOUR_MS);
}

/**
 * Takes one event from the dispatcher: finds the users whose preferences ask for it, queues one row per user (an
 * event handed over twice is queued once), and sends the immediate ones now. Mail that cannot be sent stays queued
 * for flushDigests; nothing is lost. Without SMTP_URL nothing is queued.
 */
export async function deliverEvent(
  deps: AppDeps,
  event: StatusCloudEvent,
  options: MailDeliveryOptions = {},
): Promise<DeliveryOutcome> {
  const { queued, recipients } = await queueFor(deps, deps.db, event, options);
  const now = deps.now();
  const immediate = recipients.filter((recipient) => recipient.delivery === "immediate");
  let sent = 0;
  let failed = 0;
  for (const { userId } of immediate) {
    const outcome = await sendDueMailOf(deps, userId, now);
    if (outcome === "sent") sent += 1;
    if (outcome === "failed") failed += 1;
  }
  return { queued, sent, failed };
}

/**
 * Queues one event for its recipients inside the caller's transaction (the alert dispatcher's), sending nothing:
 * the worker's mail loop sends what is due. Answers how many rows were queued.
 */
export async function queueEventMail(
  deps: AppDeps,
  tx: Queryable,
  event: StatusCloudEvent,
  options: MailDeliveryOptions = {},
): Promise<number> {
  return (await queueFor(deps, tx, event, options)).queued;
}

async function queueFor(deps: AppDeps, db: Queryable, event: StatusCloudEvent, options: MailDeliveryOptions) {
  const type = EventTypeSchema.safeParse(event.type);
  if (!deps.config.mail.isEnabled || !type.success) return { queued: 0, recipients: [] };
  const controlId = event.data.control?.id ?? null;
  const followerIds = controlId && options.controlFollowers ? await options.controlFollowers(controlId) : [];
  const recipients = await findRecipients(db, {
    eventType: type.data,
    catalogId: event.data.catalog.id,
    controlId,
    followerIds,
  });
  const now = deps.now();
  const queued = await enqueueMail(db, {
    event,
    recipients: recipients.map((recipient) => ({ ...recipient, dueAt: dueAtFor(recipient.delivery, now) })),
    now,
  });
  return { queued, recipients };
}

/**
 * Sends every mail due at `now`: one mail per user with all of the user's due events (a digest, or immediate mail
 * that failed before). The periodic job calls it; several processes may call it at once (rows are claimed).
 */
export async function flushDigests(deps: AppDeps, now: Date): Promise<{ sent: number; failed: number }> {
  if (!deps.config.mail.isEnabled) return { sent: 0, failed: 0 };
  let sent = 0;
  let failed = 0;
  for (const userId of await listUsersWithDueMail(deps.db, now, FLUSH_BATCH_USERS)) {
    const outcome = await sendDueMailOf(deps, userId, now);
    if (outcome === "sent") sent += 1;
    if (outcome === "failed") failed += 1;
  }
  return { sent, failed };
}

/**
 * Claims the user's due rows, sends them as one mail and marks them sent, all in one transaction: a crash after the
 * send and before the commit sends them again (at-least-once), never loses them. A failed send postpones the rows.
 */
async function sendDueMailOf(deps: AppDeps, userId: string, now: Date): Promise<"sent" | "failed" | "none"> {
  const mail = deps.config.mail;
  if (!mail.isEnabled) return "none";
  return withTransaction(deps.db, async (tx) => {
    const due = await claimDueMail(tx, userId, now);
    const [first] = due;
    if (!first) return "none";
    const ids = due.map((row) => row.id);
    try {
      if (!first.email) throw new Error("the user has no e-mail address (or the account is disabled)");
      const message = renderMail({ publicUrl: deps.config.publicUrl, events: due.map((row) => row.event) });
      await sendMail(mail, first.email, message);
      await markMailSent(tx, ids, now);
      return "sent";
    } catch (error) {
      const attempts = Math.max(...due.map((row) => row.attempts));
      const retryAt = new Date(now.getTime() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts));
      await postponeMail(tx, { ids, retryAt, error: (error as Error).message });
      deps.log.warn({ err: error, userId, mails: ids.length, retryAt }, "notification mail not sent; retried later");
      return "failed";
    }
  });
}
