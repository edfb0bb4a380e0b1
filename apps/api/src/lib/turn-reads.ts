import { createTurnBatches, takeFirst } from "./turn-batches.ts";

/**
 * Reads that arrive in one turn of the event loop, answered by one load (issue 19: the hot read routes under load).
 * Each read names a key; at the end of the turn the distinct keys of the reads that arrived go to `load` together
 * (one statement for many ids, or one statement shared by equal requests), and every read gets its key's answer.
 *
 * A read never gets an answer older than itself: the load starts after every read of its batch was asked for (at the
 * end of the turn, as lib/turn-batches.ts stores its batches), so a write that committed before a request arrived is
 * in that request's answer, as it would be with a statement of its own. A lone read goes out at the end of its turn,
 * not delayed. Answers are shared between requests, so they must be immutable (JSON text).
 */
export interface TurnReads<Key, Answer> {
  read(key: Key): Promise<Answer>;
}

interface Pending<Key, Answer> {
  key: Key;
  text: string;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

export function createTurnReads<Key, Answer>(options: {
  /** Loads in flight at once: while they all are, new reads wait and join the next load. */
  maxInFlight: number;
  /** Distinct keys one load takes at most. */
  maxKeys: number;
  /** The key's text: reads whose texts are equal share one answer. */
  textOf: (key: Key) => string;
  /** One answer per key, in the order of `keys` (distinct by text). A rejection answers every read of the load. */
  load: (keys: Key[]) => Promise<Answer[]>;
}): TurnReads<Key, Answer> {
  return createReads(options, async (keys): Promise<PromiseSettledResult<Answer>[]> => {
    try {
      return (await options.load(keys)).map((value) => ({ status: "fulfilled" as const, value }));
    } catch (reason) {
      return keys.map(() => ({ status: "rejected" as const, reason }));
    }
  });
}

/**
 * Reads of one key each (a page asked for with its query), where equal reads of one turn share one load, and the
 * distinct ones of the turn load in parallel, each answering (or failing) its own reads.
 */
export function createSharedReads<Key, Answer>(options: {
  maxInFlight: number;
  maxKeys: number;
  textOf: (key: Key) => string;
  loadOne: (key: Key) => Promise<Answer>;
}): TurnReads<Key, Answer> {
  // Each load as an async call: one that throws before its promise exists fails its own reads, not the batch's.
  return createReads(options, (keys) => Promise.allSettled(keys.map(async (key) => options.loadOne(key))));
}

function createReads<Key, Answer>(
  options: { maxInFlight: number; maxKeys: number; textOf: (key: Key) => string },
  load: (keys: Key[]) => Promise<PromiseSettledResult<Answer>[]>,
): TurnReads<Key, Answer> {
  const batches = createTurnBatches<Pending<Key, Answer>>({
    maxInFlight: options.maxInFlight,
    take: takeDistinct(options.maxKeys),
    store: (batch) => answer(batch, load),
  });
  return {
    read(key) {
      return new Promise((resolve, reject) => batches.add({ key, text: options.textOf(key), resolve, reject }));
    },
  };
}

/** The first reads up to `maxKeys` distinct keys (and every read of those keys), in order of arrival. */
function takeDistinct<Key, Answer>(
  maxKeys: number,
): (waiting: Pending<Key, Answer>[]) => { batch: Pending<Key, Answer>[]; rest: Pending<Key, Answer>[] } {
  const takeAll = takeFirst<Pending<Key, Answer>>(Number.POSITIVE_INFINITY);
  return (waiting) => {
    if (waiting.length <= maxKeys) return takeAll(waiting);
    const texts = new Set<string>();
    const batch: Pending<Key, Answer>[] = [];
    const rest: Pending<Key, Answer>[] = [];
    for (const pending of waiting) {
      if (texts.has(pending.text)) batch.push(pending);
      else if (texts.size < maxKeys) {
        texts.add(pending.text);
        batch.push(pending);
      } else rest.push(pending);
    }
    return { batch, rest };
  };
}

async function answer<Key, Answer>(
  batch: Pending<Key, Answer>[],
  load: (keys: Key[]) => Promise<PromiseSettledResult<Answer>[]>,
): Promise<void> {
  const indexOf = new Map<string, number>();
  const keys: Key[] = [];
  for (const pending of batch) {
    if (indexOf.has(pending.text)) continue;
    indexOf.set(pending.text, keys.length);
    keys.push(pending.key);
  }
  const outcomes = await load(keys);
  for (const pending of batch) {
    const outcome = outcomes[indexOf.get(pending.text)!]!;
    if (outcome.status === "fulfilled") pending.resolve(outcome.value);
    else pending.reject(outcome.reason);
  }
}
