import type { Cache } from "../../cache/cache.ts";
import { cacheKeys } from "../../cache/keys.ts";
import { RateLimitedError } from "../../errors.ts";

export interface LoginLimits {
  maxFailures: number;
  windowSeconds: number;
  maxPerIp: number;
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
  const byIp = await cache.increment(cacheKeys.loginAttemptsByIp(input.ip), limits.windowSeconds);
  if (byIp.count > limits.maxPerIp) throw new RateLimitedError(byIp.ttlSeconds);
  const failures = Number((await cache.get(cacheKeys.loginFailures(input.username))) ?? 0);
  if (failures >= limits.maxFailures) throw new RateLimitedError(limits.windowSeconds);
}

export async function recordLoginFailure(cache: Cache, limits: LoginLimits, username: string): Promise<void> {
  await cache.increment(cacheKeys.loginFailures(username), limits.windowSeconds);
}

export async function clearLoginFailures(cache: Cache, username: string): Promise<void> {
  await cache.del(cacheKeys.loginFailures(username));
}
