import type { EventList, EventListQuery } from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { toCloudEvent } from "./cloud-event.ts";
import {
  claimPendingEvents,
  insertComplianceCrossings,
  insertPointStateChanges,
  insertRunErrorStreaks,
  insertStaleTransitions,
  listEventsSince,
  markEventsDispatched,
  type OutboxEvent,
} from "./events.repository.ts";

/**
 * A channel events go out through (webhooks; e-mail joins the same way). `enqueue` runs in the transaction that
 * takes the events from the outbox: it writes the channel's own deliveries (or digest rows) for them, and if it
 * throws, the events stay in the outbox for the next pass. Sending happens later, outside that transaction.
 */
export interface EventChannel {
  name: string;
  enqueue(tx: Queryable, events: readonly OutboxEvent[]): Promise<void>;
}

/** The sweep's advisory lock key: one sweep at a time over every process, so each transition is written once. */
const SWEEP_LOCK_KEY = 0x15_a1e7;
const DISPATCH_BATCH = 500;
const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

/**
 * Records control.failing / control.recovered for points just appended, in the points' own transaction, so an
 * event exists exactly when its point does. The points module calls it after every append.
 */
export async function recordPointStateChanges(tx: Queryable, pointIds: string[]): Promise<void> {
  await insertPointStateChanges(tx, pointIds);
}

/**
 * The periodic part of the rules, in one transaction under one lock: control.stale / control.fresh (at the app's
 * clock), run.error after ALERT_RUN_ERROR_THRESHOLD errored runs in a row, and catalog.compliance_below when a
 * catalog falls below ALERT_COMPLIANCE_LEVEL. Answers how many events it wrote.
 */
export async function sweepAlertStates(deps: Pick<AppDeps, "db" | "config" | "now">): Promise<number> {
  return withTransaction(deps.db, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>("select pg_try_advisory_xact_lock($1) as ok", [SWEEP_LOCK_KEY]);
    if (!locked.rows[0]?.ok) return 0;
    const at = deps.now();
    const stale = await insertStaleTransitions(tx, at);
    const errors = await insertRunErrorStreaks(tx, deps.config.alerts.runErrorThreshold);
    const compliance = await insertComplianceCrossings(tx, deps.config.alerts.complianceLevel, at);
    return stale + errors + compliance;
  });
}

/**
 * Hands the outbox's waiting events to every channel, a batch at a time: claimed with FOR UPDATE SKIP LOCKED, so
 * processes share the work, and marked dispatched in the transaction the channels enqueue in. Answers how many.
 */
export async function dispatchPendingEvents(
  deps: Pick<AppDeps, "db">,
  channels: readonly EventChannel[],
): Promise<number> {
  return withTransaction(deps.db, async (tx) => {
    const events = await claimPendingEvents(tx, DISPATCH_BATCH);
    if (events.length === 0) return 0;
    for (const channel of channels) await channel.enqueue(tx, events);
    await markEventsDispatched(
      tx,
      events.map((event) => event.id),
    );
    return events.length;
  });
}

/** The events since `query.since` (default the last 7 days) as CloudEvents, newest first, for the bell. */
export async function listRecentEvents(
  deps: Pick<AppDeps, "db" | "config" | "now">,
  query: EventListQuery,
): Promise<EventList> {
  const since = query.since ? new Date(query.since) : new Date(deps.now().getTime() - DEFAULT_LOOKBACK_MS);
  const events = await listEventsSince(deps.db, since, query.limit);
  return { items: events.map((event) => toCloudEvent(deps.config.publicUrl, event)) };
}
