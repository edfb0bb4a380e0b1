/**
 * Batches of the items that arrive in one turn of the event loop (issues 19 and 20: pushed evidence, draft controls).
 * Items added while the process reads its sockets are handed to `store` together at the end of that turn
 * (setImmediate runs after the ready sockets were read), so a busy server sends one statement and one commit for many
 * requests while a lone item goes out at once, not delayed. At most `maxInFlight` batches are stored at a time: while
 * they all are, new items wait and join the next batch (fewer, larger batches under load, and the pool keeps
 * connections for the other routes). `store` answers each item of its batch itself; it must not reject.
 */
export interface TurnBatches<Item> {
  add(item: Item): void;
}

export function createTurnBatches<Item>(options: {
  maxInFlight: number;
  /** The next batch out of the waiting items (in their order of arrival), and the items that wait for a later one. */
  take: (waiting: Item[]) => { batch: Item[]; rest: Item[] };
  store: (batch: Item[]) => Promise<void>;
}): TurnBatches<Item> {
  let waiting: Item[] = [];
  let inFlight = 0;
  let isScheduled = false;

  function schedule(): void {
    if (isScheduled || inFlight >= options.maxInFlight || waiting.length === 0) return;
    isScheduled = true;
    setImmediate(() => {
      isScheduled = false;
      flush();
    });
  }

  function flush(): void {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const { batch, rest } = options.take(waiting);
      waiting = rest;
      inFlight += 1;
      void options.store(batch).finally(() => {
        inFlight -= 1;
        schedule();
      });
    }
  }

  return {
    add(item) {
      waiting.push(item);
      schedule();
    },
  };
}

/** `take` for batches of at most `size` items in order of arrival. */
export function takeFirst<Item>(size: number): (waiting: Item[]) => { batch: Item[]; rest: Item[] } {
  return (waiting) => ({ batch: waiting.slice(0, size), rest: waiting.slice(size) });
}
