import type { Logger } from "../logger.ts";

interface Delivery {
  runIds: readonly string[];
  /** When the delivery is due (epoch ms): a retried delivery keeps its time, not its original delay. */
  dueAt: number;
}

export interface HandOffBuffer {
  /** Takes run ids for delivery and returns at once; sending happens in the background. */
  add(runIds: readonly string[], delayMs: number): void;
  /** Ids waiting to be sent (the queue refused or was unreachable). */
  pendingCount(): number;
  /** Tries to send what is waiting, for at most `timeoutMs` (shutdown); what is left is the sweeper's. */
  drain(timeoutMs: number): Promise<void>;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;
/** Beyond this many waiting ids the oldest are dropped: they are in Postgres, and the sweeper delivers them. */
const MAX_PENDING_IDS = 100_000;

/**
 * Hands run ids to a queue without making the caller wait on it: a run is committed to Postgres before it is handed
 * over, so a request answers as soon as the commit is done, and a queue that is down (Redis restarting) costs a
 * retry here with backoff, never a request. Deliveries are sent one at a time in order.
 */
export function createHandOffBuffer(
  send: (runIds: readonly string[], delayMs: number) => Promise<void>,
  log: Logger,
): HandOffBuffer {
  const waiting: Delivery[] = [];
  let pendingIds = 0;
  let sending: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = RETRY_MIN_MS;

  function dropOldestBeyondLimit(): void {
    while (pendingIds > MAX_PENDING_IDS && waiting.length > 1) {
      const dropped = waiting.shift()!;
      pendingIds -= dropped.runIds.length;
      log.warn({ runs: dropped.runIds.length }, "queue unreachable for long: runs left to the sweeper");
    }
  }

  async function sendWaiting(): Promise<void> {
    while (waiting.length > 0) {
      const next = waiting[0]!;
      try {
        await send(next.runIds, Math.max(0, next.dueAt - Date.now()));
      } catch (error) {
        log.warn({ err: error, waiting: pendingIds, retryInMs: retryMs }, "run queue unreachable: retrying");
        scheduleRetry();
        return;
      }
      waiting.shift();
      pendingIds -= next.runIds.length;
      retryMs = RETRY_MIN_MS;
    }
  }

  function scheduleRetry(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      start();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  }

  function start(): void {
    if (sending || retryTimer) return;
    sending = sendWaiting().finally(() => {
      sending = undefined;
    });
  }

  return {
    add(runIds, delayMs) {
      if (runIds.length === 0) return;
      waiting.push({ runIds, dueAt: Date.now() + Math.max(0, delayMs) });
      pendingIds += runIds.length;
      dropOldestBeyondLimit();
      start();
    },
    pendingCount: () => pendingIds,
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (waiting.length > 0 && Date.now() < deadline) {
        if (retryTimer) {
          clearTimeout(retryTimer);
          retryTimer = undefined;
        }
        start();
        await Promise.race([sending, new Promise((resolve) => setTimeout(resolve, 100))]);
      }
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
    },
  };
}
