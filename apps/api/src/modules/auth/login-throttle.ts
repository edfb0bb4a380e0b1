import type { Queryable } from "../../db/database.ts";
import { AccountLockedError, RateLimitedError } from "../../errors.ts";
import {
  countPairFailures,
  deletePairFailures,
  findNthRecentAddressFailure,
  findNthRecentFailingAddress,
  insertLoginFailure,
} from "./login-failures.repository.ts";

/** The sign-in limits (config.auth.login); README "Security" documents the policy. */
export interface LoginLimits {
  /** How long a failure counts for the per-address limits. */
  windowSeconds: number;
  /** Failures of one username from one address that cost nothing; each further one doubles the wait (1 s, 2 s…). */
  freeFailures: number;
  /** At this many failures of one username from one address, that address waits the whole window. */
  maxFailures: number;
  /** Failures from one address, all usernames together, within the window (password spraying). */
  maxPerIp: number;
  /** Distinct failing addresses for one username that mean a distributed attack and lock the username… */
  distributedAddresses: number;
  /** …within this many seconds. */
  distributedWindowSeconds: number;
}

/** A sign-in attempt: who it claims to be and where it comes from. */
export interface LoginAttempt {
  username: string;
  ip: string;
}

/** What the throttle allows: an ordinary attempt, or one that must also prove a second factor (username locked). */
export type LoginClearance = { kind: "allowed" } | { kind: "second_factor_required"; retryAfterSeconds: number };

function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** The wait after the k-th failure of one username from one address. */
export function pairDelaySeconds(limits: LoginLimits, failures: number): number {
  if (failures < limits.freeFailures + 1) return 0;
  if (failures >= limits.maxFailures) return limits.windowSeconds;
  return Math.min(limits.windowSeconds, 2 ** (failures - limits.freeFailures - 1));
}

/**
 * Decides whether a sign-in attempt may be checked at all. The state is in Postgres, so it survives a restart and
 * holds across instances. An address is slowed down only for its own failures: an attacker on one address cannot keep
 * the user out of another. A username-wide lock needs failures from many distinct addresses, and even then an address
 * without recent failures for that username gets through with the right password and second factor.
 */
export async function checkLoginAllowed(
  db: Queryable,
  limits: LoginLimits,
  attempt: LoginAttempt,
  now: Date,
): Promise<LoginClearance> {
  const key = usernameKey(attempt.username);
  const since = new Date(now.getTime() - limits.windowSeconds * 1000);
  const pair = await countPairFailures(db, { usernameKey: key, ipAddress: attempt.ip, since });
  const delay = pairDelaySeconds(limits, pair.count);
  if (pair.lastFailedAt && delay > 0) {
    const until = new Date(pair.lastFailedAt.getTime() + delay * 1000);
    if (until > now) throw new RateLimitedError(secondsUntil(until, now));
  }
  const addressLimit = await findNthRecentAddressFailure(db, { ipAddress: attempt.ip, since, nth: limits.maxPerIp });
  if (addressLimit)
    throw new RateLimitedError(secondsUntil(new Date(addressLimit.getTime() + limits.windowSeconds * 1000), now));
  const distributedSince = new Date(now.getTime() - limits.distributedWindowSeconds * 1000);
  const lockedBy = await findNthRecentFailingAddress(db, {
    usernameKey: key,
    since: distributedSince,
    nth: limits.distributedAddresses,
  });
  if (!lockedBy) return { kind: "allowed" };
  const retryAfterSeconds = secondsUntil(new Date(lockedBy.getTime() + limits.distributedWindowSeconds * 1000), now);
  // An address that took part in the attack stays locked out; a clean one may still prove both factors.
  if (pair.count > 0) throw new AccountLockedError(retryAfterSeconds);
  return { kind: "second_factor_required", retryAfterSeconds };
}

/** Records a failed attempt (wrong password, wrong second factor) and forgets failures no window needs any more. */
export async function recordLoginFailure(
  db: Queryable,
  limits: LoginLimits,
  attempt: LoginAttempt,
  now: Date,
): Promise<void> {
  const longest = Math.max(limits.windowSeconds, limits.distributedWindowSeconds);
  await insertLoginFailure(db, {
    usernameKey: usernameKey(attempt.username),
    ipAddress: attempt.ip,
    failedAt: now,
    forgetBefore: new Date(now.getTime() - longest * 1000),
  });
}

/** A completed sign-in forgets that address's failures for that username. */
export async function clearLoginFailures(db: Queryable, attempt: LoginAttempt): Promise<void> {
  await deletePairFailures(db, { usernameKey: usernameKey(attempt.username), ipAddress: attempt.ip });
}
