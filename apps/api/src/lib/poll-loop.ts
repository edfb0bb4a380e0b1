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
 * per loop), unless `wake` says new work came after that poll began. While a poll is out, the others wait for its
 * answer rather than send the same question (loops woken together by a late event loop would all poll at once).
 */
export interface SharedIdle {
  /** True when this loop should skip its poll. */
  isIdle(): boolean;
  /** A poll goes out; `end` it with whether it found the queue drained (less than it could take). */
  startPoll(): { end: (isDrained: boolean) => void };
  /** New work was queued: the loops poll again at their next turn. */
  wake(): void;
}

export function createSharedIdle(idleMs: number): SharedIdle {
  let drainedAt = Number.NEGATIVE_INFINITY;
  let wokenAt = Number.NEGATIVE_INFINITY;
  let pollsOut = 0;
  return {
    isIdle: () => pollsOut > 0 || (drainedAt > wokenAt && Date.now() - drainedAt < idleMs),
    startPoll() {
      const polledAt = Date.now();
      pollsOut += 1;
      let isEnded = false;
      return {
        end(isDrained) {
          if (isEnded) return;
          isEnded = true;
          pollsOut -= 1;
          if (isDrained) drainedAt = Math.max(drainedAt, polledAt);
        },
      };
    },
    wake() {
      wokenAt = Date.now();
    },
  };
}
