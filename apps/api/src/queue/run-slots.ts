import type { Logger } from "../logger.ts";

export interface RunSlots {
  /**
   * Hands the ids to the handler in order as slots free up, at most `concurrency` handlers at once. Resolves once
   * every id has been started, with the ids that were not (the slots were closed meanwhile): the caller gives those
   * back to the queue.
   */
  admit(runIds: readonly string[]): Promise<string[]>;
  /** Ids admitted and waiting for a slot. */
  waitingCount(): number;
  /** Starts nothing more: ids waiting for a slot are refused (see `admit`), handlers in flight go on. */
  close(): void;
  /** Resolves once no handler is in flight. */
  idle(): Promise<void>;
}

/** One `admit` call: how many of its ids still wait for a slot, and those refused. */
interface Admission {
  left: number;
  refused: string[];
  resolve: (refused: string[]) => void;
}

interface Waiting {
  runId: string;
  admission: Admission;
}

function settle(admission: Admission, refusedRunId?: string): void {
  if (refusedRunId !== undefined) admission.refused.push(refusedRunId);
  admission.left -= 1;
  if (admission.left === 0) admission.resolve(admission.refused);
}

/**
 * The worker's slots for runs: a queue's deliveries (several run ids each) are admitted here, and each id holds a slot
 * while its handler runs. A delivery is done once its ids have started, so the queue's job is only a hand-off: a
 * worker that dies loses only ids that Postgres still has as queued (the sweeper delivers them again) or running
 * (their heartbeats stop, and the reaper takes them back).
 */
export function createRunSlots(handler: (runId: string) => Promise<void>, concurrency: number, log: Logger): RunSlots {
  const waiting: Waiting[] = [];
  const idleWaiters: (() => void)[] = [];
  let active = 0;
  let isClosed = false;

  function start(runId: string): void {
    active += 1;
    handler(runId)
      .catch((error: unknown) => log.error({ err: error, runId }, "run handler failed"))
      .finally(() => {
        active -= 1;
        while (!isClosed && active < concurrency && waiting.length > 0) {
          const next = waiting.shift()!;
          start(next.runId);
          settle(next.admission);
        }
        if (active === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
      });
  }

  return {
    admit(runIds) {
      if (isClosed) return Promise.resolve([...runIds]);
      let index = 0;
      while (index < runIds.length && active < concurrency && waiting.length === 0) start(runIds[index++]!);
      if (index === runIds.length) return Promise.resolve([]);
      return new Promise<string[]>((resolve) => {
        const admission: Admission = { left: runIds.length - index, refused: [], resolve };
        for (; index < runIds.length; index += 1) waiting.push({ runId: runIds[index]!, admission });
      });
    },
    waitingCount: () => waiting.length,
    close() {
      isClosed = true;
      for (const refused of waiting.splice(0)) settle(refused.admission, refused.runId);
    },
    idle() {
      return active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
