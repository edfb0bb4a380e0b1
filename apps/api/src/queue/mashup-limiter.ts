/**
 * Per-mashup limits on the engine's calls, held where every worker sees them: a semaphore of calls in flight and a
 * token bucket of calls started per second. Redis holds them when configured (`redis-mashup-limiter.ts`, one Lua
 * script per try, so the check and the take are atomic across workers); the embedded default's single process
 * holds them in memory with the same rules.
 */
export interface CallLimits {
  maxConcurrency: number | null;
  ratePerSecond: number | null;
}

/** A granted call: `release` frees its concurrency slot (a slot whose worker died expires after its hold time). */
export type LimiterAnswer = { release: () => Promise<void> } | { retryInMs: number };

export interface MashupLimiter {
  readonly kind: "redis" | "memory";
  /**
   * Takes a slot and a token for one call of the mashup, or says how long to wait before trying again (a concurrency
   * limit that is full answers a short poll interval: a release elsewhere is not announced). `holdMs` bounds how long
   * the slot is held if it is never released.
   */
  tryAcquire(mashupId: string, limits: CallLimits, holdMs: number): Promise<LimiterAnswer>;
  close(): Promise<void>;
}

/** How often a full concurrency limit is asked again (releases in other workers are not announced). */
export const FULL_POLL_MS = 25;

/** The bucket holds a tenth of a second's worth of calls (at least one): the only burst the rate allows. */
export function burstOf(ratePerSecond: number): number {
  return Math.max(1, Math.floor(ratePerSecond / 10));
}

interface MemoryState {
  holders: Map<number, number>;
  tokens: number;
  at: number;
}

/** The embedded default's limiter: one process, the same rules as the Redis script. */
export function createMemoryMashupLimiter(now: () => number = Date.now): MashupLimiter {
  const states = new Map<string, MemoryState>();
  let nextHolder = 0;
  return {
    kind: "memory",
    async tryAcquire(mashupId, limits, holdMs) {
      const time = now();
      let state = states.get(mashupId);
      if (!state) {
        state = { holders: new Map(), tokens: Number.NaN, at: time };
        states.set(mashupId, state);
      }
      if (limits.maxConcurrency !== null) {
        for (const [holder, expiresAt] of state.holders) if (expiresAt <= time) state.holders.delete(holder);
        if (state.holders.size >= limits.maxConcurrency) return { retryInMs: FULL_POLL_MS };
      }
      if (limits.ratePerSecond !== null) {
        const burst = burstOf(limits.ratePerSecond);
        const tokens = Number.isNaN(state.tokens)
          ? burst
          : Math.min(burst, state.tokens + ((time - state.at) * limits.ratePerSecond) / 1000);
        if (tokens < 1) return { retryInMs: Math.ceil(((1 - tokens) * 1000) / limits.ratePerSecond) };
        state.tokens = tokens - 1;
        state.at = time;
      }
      if (limits.maxConcurrency === null) return { release: async () => undefined };
      const holder = nextHolder++;
      state.holders.set(holder, time + holdMs);
      const held = state;
      return {
        release: async () => {
          held.holders.delete(holder);
        },
      };
    },
    async close() {
      states.clear();
    },
  };
}
