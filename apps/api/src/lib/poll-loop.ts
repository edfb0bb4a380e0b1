/**
 * Runs `work` again at once while it finds something to do (it answers how much it did), and after `idleMs` when it
 * did nothing or failed. `stop` lets the pass in progress finish.
 */
export function startPollLoop(
  work: () => Promise<number>,
  idleMs: number,
  onError: (error: unknown) => void,
): { stop: () => Promise<void> } {
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, idleMs);
      timer.unref();
    });
  const loop = async () => {
    while (!isStopped) {
      let done = 0;
      try {
        done = await work();
      } catch (error) {
        onError(error);
      }
      if (done === 0 && !isStopped) await sleep();
    }
  };
  const running = loop();
  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}

/**
 * What several poll loops over one queue know together. When a poll of one finds the queue drained, the others would
 * find it drained too for a while: they skip their polls for `idleMs` (one poll per interval for all of them, not one
 * per loop), unless `wake` says new work came after that poll began.
 */
export interface SharedIdle {
  isIdle(): boolean;
  /** A poll that began at `polledAt` (Date.now()) found less than it could take: the queue was drained then. */
  markDrained(polledAt: number): void;
  /** New work was queued: the loops poll again at their next turn. */
  wake(): void;
}

export function createSharedIdle(idleMs: number): SharedIdle {
  let drainedAt = Number.NEGATIVE_INFINITY;
  let wokenAt = Number.NEGATIVE_INFINITY;
  return {
    isIdle: () => drainedAt > wokenAt && Date.now() - drainedAt < idleMs,
    markDrained(polledAt) {
      drainedAt = Math.max(drainedAt, polledAt);
    },
    wake() {
      wokenAt = Date.now();
    },
  };
}
