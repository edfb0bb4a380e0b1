import type { Cache } from "./cache.ts";

/**
 * What this process learnt about a credential a moment ago (an API token's owner, a session being open), kept for
 * CREDENTIAL_CACHE_MS so a burst of requests with one credential asks Postgres or Redis once, not once per request.
 * Revocation through this process forgets at once; through another process it takes effect within the bound.
 */
export interface CredentialMemo<T> {
  recall(key: string): T | undefined;
  remember(key: string, value: T): void;
  forget(keys: readonly string[]): void;
  forgetAll(): void;
}

/** A process never remembers more credentials than this; past it the oldest go first. */
const MAX_ENTRIES = 10_000;

export function createCredentialMemo<T>(ttlMs: number, now: () => number = Date.now): CredentialMemo<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    recall(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    remember(key, value) {
      if (ttlMs <= 0) return;
      entries.delete(key);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    forget(keys) {
      for (const key of keys) entries.delete(key);
    },
    forgetAll() {
      entries.clear();
    },
  };
}

/** The memo's keys: an API token by its hash, a session (refresh-token family) by its id. */
export const credentialKeys = {
  apiToken: (tokenHash: string) => `token:${tokenHash}`,
  session: (familyId: string) => `session:${familyId}`,
} as const;

// One memo per cache: the apps of a process (and the tests' apps) that share a cache share what revocation forgets.
const memos = new WeakMap<Cache, CredentialMemo<unknown>>();

/** The memo of credentials checked against this cache's installation, made on first use with the given bound. */
export function credentialMemoFor(cache: Cache, ttlMs: number): CredentialMemo<unknown> {
  let memo = memos.get(cache);
  if (!memo) {
    memo = createCredentialMemo<unknown>(ttlMs);
    memos.set(cache, memo);
  }
  return memo;
}

/** Forgets the given credentials (or all of them) in this process, after a revocation or a change of rights. */
export function forgetCredentials(cache: Cache, keys: readonly string[] | "all"): void {
  const memo = memos.get(cache);
  if (keys === "all") memo?.forgetAll();
  else memo?.forget(keys);
}
