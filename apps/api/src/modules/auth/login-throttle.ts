import type { Cache } from "../../cache/cache.ts";
import { cacheKeys } from "../../cache/keys.ts";
import { createMemoryCache } from "../../cache/memory-cache.ts";
import { CacheUnavailableError, RateLimitedError } from "../../errors.ts";

export interface LoginLimits {
  maxFailures: number;
  windowSeconds: number;
  maxPerIp: number;
}

// While the shared cache is down, sign-in is still limited, per process, by these counters: signing in works through
// the database, and guessing passwords stays throttled. Their entries expire with their windows.
const outageCounters = createMemoryCache();

/** Runs a throttle step on the shared cache, or on this process's counters while the shared cache is down. */
async function onCache<T>(cache: Cache, step: (counters: Cache) => Promise<T>): Promise<T> {
  try {
    return await step(cache);
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
    return step(outageCounters);
  }
}

/**
 * Fixed-window limits on sign-in: all attempts per client address, and failed attempts per username, so one
 * address cannot spray passwords and one account cannot be guessed from many addresses.
 */
export async function checkLoginAllowed(
  cache: Cache,
  limits: LoginLimits,
  input: { ip: string; username: string },
): Promise<void> {
  await onCache(cache, async (counters) => {
    const byIp = await counters.increment(cacheKeys.loginAttemptsByIp(input.ip), limits.windowSeconds);
    if (byIp.count > limits.maxPerIp) throw new RateLimitedError(byIp.ttlSeconds);
    const failures = Number((await counters.get(cacheKeys.loginFailures(input.username))) ?? 0);
    if (failures >= limits.maxFailures) throw new RateLimitedError(limits.windowSeconds);
  });
}

export async function recordLoginFailure(cache: Cache, limits: LoginLimits, username: string): Promise<void> {
  await onCache(cache, (counters) => counters.increment(cacheKeys.loginFailures(username), limits.windowSeconds));
}

export async function clearLoginFailures(cache: Cache, username: string): Promise<void> {
  await onCache(cache, (counters) => counters.del(cacheKeys.loginFailures(username)));
}
