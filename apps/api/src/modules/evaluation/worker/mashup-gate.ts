import type { Logger } from "../../../logger.ts";
import type { CallLimits, MashupLimiter } from "../../../queue/mashup-limiter.ts";

/** A limiter that cannot be reached is asked again after this long; meanwhile the mashup's calls wait (fail closed). */
const LIMITER_DOWN_RETRY_MS = 500;
/** A wait is never longer than this between tries, so a raised limit or a freed slot is seen soon. */
const MAX_WAIT_MS = 1_000;

/** The run could not wait here (too many are waiting already): it should go back to the queue for `retryInMs`. */
export class MashupLimitedError extends Error {
  constructor(readonly retryInMs: number) {
    super(`The mashup's limits hold this call back for ${retryInMs} ms`);
  }
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onWait: (() => boolean) | undefined;
  hasWaited: boolean;
}

interface Line {
  limits: CallLimits;
  holdMs: number;
  waiters: Waiter[];
  isPumping: boolean;
  wake: (() => void) | undefined;
}

/**
 * The calls of this process to limited mashups, in line per mashup: one try at the limiter at a time per mashup
 * (never one per waiting run), the head of the line first, the others asleep. A mashup without limits costs nothing.
 * When a call has to wait, `onWait` is told once: the run processor then frees the run's worker slot (answering
 * `true`), or the call is refused with MashupLimitedError (answering `false`) and the run goes back to the queue.
 */
export function createMashupGate(limiter: MashupLimiter, log: Logger) {
  const lines = new Map<string, Line>();

  async function pump(mashupId: string, line: Line): Promise<void> {
    line.isPumping = true;
    try {
      while (line.waiters.length > 0) {
        const head = line.waiters[0]!;
        if (head.signal?.aborted) {
          line.waiters.shift();
          head.reject(head.signal.reason);
          continue;
        }
        let retryInMs: number;
        try {
          const answer = await limiter.tryAcquire(mashupId, line.limits, line.holdMs);
          if ("release" in answer) {
            line.waiters.shift();
            head.resolve(() => {
              void answer.release().finally(() => line.wake?.());
            });
            continue;
          }
          retryInMs = answer.retryInMs;
        } catch (error) {
          log.warn({ err: error, mashupId }, "mashup limiter unreachable: the mashup's calls wait");
          retryInMs = LIMITER_DOWN_RETRY_MS;
        }
        for (const waiter of [...line.waiters]) {
          if (waiter.hasWaited) continue;
          waiter.hasWaited = true;
          if (waiter.onWait && !waiter.onWait()) {
            line.waiters.splice(line.waiters.indexOf(waiter), 1);
            waiter.reject(new MashupLimitedError(retryInMs));
          }
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(retryInMs, MAX_WAIT_MS));
          function done() {
            clearTimeout(timer);
            line.wake = undefined;
            resolve();
          }
          line.wake = done;
        });
      }
    } finally {
      line.isPumping = false;
      if (line.waiters.length === 0) lines.delete(mashupId);
    }
  }

  return {
    /**
     * Waits for the mashup's limits to allow one more call; answers the function that ends the call. `holdMs` bounds
     * how long its slot is held should the release never come.
     */
    async acquire(
      mashupId: string,
      limits: CallLimits,
      options: { holdMs: number; signal?: AbortSignal; onWait?: () => boolean },
    ): Promise<() => void> {
      if (limits.maxConcurrency === null && limits.ratePerSecond === null) return () => undefined;
      let line = lines.get(mashupId);
      if (!line) {
        line = { limits, holdMs: options.holdMs, waiters: [], isPumping: false, wake: undefined };
        lines.set(mashupId, line);
      }
      // The latest limits read win: a changed limit applies to the calls already waiting.
      line.limits = limits;
      const waiting = new Promise<() => void>((resolve, reject) =>
        line.waiters.push({ resolve, reject, signal: options.signal, onWait: options.onWait, hasWaited: false }),
      );
      options.signal?.addEventListener("abort", () => line.wake?.(), { once: true });
      if (!line.isPumping) void pump(mashupId, line);
      return waiting;
    },
  };
}

export type MashupGate = ReturnType<typeof createMashupGate>;
