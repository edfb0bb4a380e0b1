import type { Logger } from "../logger.ts";
import type { RunQueue } from "./run-queue.ts";

/** The in-process queue of the embedded default: a FIFO with delayed deliveries and a concurrency limit. */
export function createMemoryRunQueue(log: Logger): RunQueue {
  const waiting: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let handler: ((runId: string) => Promise<void>) | undefined;
  let concurrency = 1;
  let active = 0;
  let isClosed = false;
  const idleWaiters: (() => void)[] = [];

  function pump(): void {
    while (handler && !isClosed && active < concurrency && waiting.length > 0) {
      const runId = waiting.shift()!;
      active += 1;
      handler(runId)
        .catch((error: unknown) => log.error({ err: error, runId }, "run handler failed"))
        .finally(() => {
          active -= 1;
          if (active === 0 && (waiting.length === 0 || !handler)) idleWaiters.splice(0).forEach((resolve) => resolve());
          pump();
        });
    }
  }

  return {
    kind: "memory",
    async enqueue(runIds, delayMs = 0) {
      if (isClosed) return;
      if (delayMs <= 0) {
        waiting.push(...runIds);
        pump();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        waiting.push(...runIds);
        pump();
      }, delayMs);
      timer.unref();
      timers.add(timer);
    },
    startWorker(runHandler, maxConcurrent) {
      handler = runHandler;
      concurrency = maxConcurrent;
      pump();
    },
    async stopWorker() {
      handler = undefined;
      if (active > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async waitingCount() {
      return waiting.length;
    },
    async close() {
      isClosed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      waiting.length = 0;
      if (active > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
