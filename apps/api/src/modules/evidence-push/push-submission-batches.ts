import type { Queryable } from "../../db/database.ts";
import { isDatabaseUnreachable } from "../../db/pg-errors.ts";
import { createTurnBatches, type TurnBatches } from "../../lib/turn-batches.ts";
import { insertPushSubmissions, type PushSubmission, type PushSubmissionOutcome } from "../evaluation/index.ts";
import { perPool } from "../../lib/per-pool.ts";

/**
 * Issue 20: submissions to open windows are stored in batches. Those that arrive while the process reads its sockets
 * (one turn of the event loop) go to Postgres together, as one statement and one commit, instead of one round trip,
 * one statement and one WAL flush each: per submission the API writes and parses a fraction of a query and Postgres
 * runs a fraction of a statement and commit. A lone submission goes out at the end of its turn, unbatched and not
 * delayed. Each submission is answered only once its batch has committed, so a 201 still means stored, and a submission
 * sent after another was answered is stored after it. Submissions in flight together have no order between them but
 * their batch's: concurrent batches, like concurrent requests, commit in either order.
 */

/** A batch holds at most this many submissions; the rest wait for the next. */
const MAX_BATCH = 200;
/**
 * Nor more evidences than this in all (a submission may carry 10,000): a statement's size stays that of one large
 * submission. A submission larger than this goes alone.
 */
const MAX_BATCH_EVIDENCES = 10_000;
/**
 * Batches in flight at once per pool. While they all are, new submissions wait and join the next batch (so a busy
 * server sends fewer, larger batches) and the pool keeps connections for the other routes.
 */
const MAX_IN_FLIGHT = 4;

interface Pending {
  submission: PushSubmission;
  resolve: (outcome: PushSubmissionOutcome) => void;
  reject: (error: unknown) => void;
}

// Per pool, one batcher per time to live.
const batchersOf = perPool((_db: Queryable) => new Map<number, TurnBatches<Pending>>());

function batchesOf(db: Queryable, keyTtlHours: number): TurnBatches<Pending> {
  const byTtl = batchersOf(db);
  let batches = byTtl.get(keyTtlHours);
  if (!batches) {
    batches = createTurnBatches({
      maxInFlight: MAX_IN_FLIGHT,
      take: takeBatch,
      store: (batch) => store(db, keyTtlHours, batch),
    });
    byTtl.set(keyTtlHours, batches);
  }
  return batches;
}

/**
 * Stores one submission to an open window with others received in the same turn (see insertPushSubmissions for the
 * outcomes); never inside a transaction (`db` is a pool).
 */
export function storePushSubmission(
  db: Queryable,
  submission: PushSubmission,
  keyTtlHours: number,
): Promise<PushSubmissionOutcome> {
  const batches = batchesOf(db, keyTtlHours);
  return new Promise((resolve, reject) => batches.add({ submission, resolve, reject }));
}

/**
 * The next batch, in order of arrival, within its limits; a key already in it waits for the next one (a statement
 * takes a key once).
 */
function takeBatch(waiting: Pending[]): { batch: Pending[]; rest: Pending[] } {
  const batch: Pending[] = [];
  const rest: Pending[] = [];
  const keys = new Set<string>();
  let evidences = 0;
  // Once one submission waits for size, those after it wait too: none overtakes an earlier one.
  let isFull = false;
  for (const pending of waiting) {
    const { idempotency, evidences: its } = pending.submission;
    const key = idempotency && JSON.stringify([idempotency.ownerKey, idempotency.idempotencyKey]);
    isFull ||= batch.length >= MAX_BATCH || (batch.length > 0 && evidences + its.length > MAX_BATCH_EVIDENCES);
    if (isFull || (key !== undefined && keys.has(key))) rest.push(pending);
    else {
      if (key !== undefined) keys.add(key);
      evidences += its.length;
      batch.push(pending);
    }
  }
  return { batch, rest };
}

async function store(db: Queryable, keyTtlHours: number, batch: Pending[]): Promise<void> {
  try {
    const outcomes = await insertPushSubmissions(
      db,
      batch.map((pending) => pending.submission),
      keyTtlHours,
    );
    batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
  } catch (error) {
    // One submission the database refuses must not fail the others: each is stored alone, and answers its own error.
    // A database that cannot be reached fails them all at once rather than once each.
    if (batch.length === 1 || isDatabaseUnreachable(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    await Promise.all(
      batch.map(async (pending) => {
        try {
          const [outcome] = await insertPushSubmissions(db, [pending.submission], keyTtlHours);
          pending.resolve(outcome!);
        } catch (aloneError) {
          pending.reject(aloneError);
        }
      }),
    );
  }
}
