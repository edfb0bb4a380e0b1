/**
 * Gathers single requests for a moment and serves them with one call: many concurrent workers then cost one
 * database round trip (and one commit) instead of one each. `flush` answers one result per item, in order.
 */
export function createMicroBatcher<Item, Result>(flush: (items: Item[]) => Promise<Result[]>, options: { maxSize: number; maxWaitMs: number }): (item: Item) => Promise<Result> {
  let pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  function drain(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    flush(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, index) => entry.resolve(results[index]!)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.maxSize) drain();
      else timer ??= setTimeout(drain, options.maxWaitMs);
    });
}
