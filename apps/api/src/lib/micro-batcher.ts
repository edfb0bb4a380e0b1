/**
 * Gathers single requests for a moment and serves them with one call: many concurrent workers then cost one
 * database round trip (and one commit) instead of one each. `flush` answers one result per item, in order.
 *
 * At most `maxInFlight` flushes run at once (default unlimited): while they do, new items wait and are flushed
 * together as soon as one finishes, so batches grow with the load by themselves (group commit) instead of many
 * small ones queueing for the same rows.
 */
export function createMicroBatcher<Item, Result>(
  flush: (items: Item[]) => Promise<Result[]>,
  options: { maxSize: number; maxWaitMs: number; maxInFlight?: number },
): (item: Item) => Promise<Result> {
  const maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
  let pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let isDue = false;

  function drain(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    if (inFlight >= maxInFlight) {
      isDue = true; // flushed when a running flush finishes
      return;
    }
    isDue = false;
    const batch = pending.length > options.maxSize ? pending.splice(0, options.maxSize) : pending;
    if (batch === pending) pending = [];
    inFlight += 1;
    let settled: Promise<unknown>;
    try {
      settled = flush(batch.map((entry) => entry.item)).then(
        (results) => batch.forEach((entry, index) => entry.resolve(results[index]!)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      );
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
      settled = Promise.resolve();
    }
    void settled.finally(() => {
      inFlight -= 1;
      if (isDue || pending.length >= options.maxSize) drain();
      else if (pending.length > 0) timer ??= setTimeout(drain, options.maxWaitMs);
    });
  }

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.maxSize) drain();
      else timer ??= setTimeout(drain, options.maxWaitMs);
    });
}
