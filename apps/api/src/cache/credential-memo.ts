import type { Cache } from "./cache.ts";

/**
 * What this process learnt about a credential a moment ago (an API token's owner, a session being open), kept for
 * CREDENTIAL_CACHE_MS so a burst of requests with one credential asks Postgres or Redis once, not once per request.
 * Revocation through this process forgets at once; through another process it takes effect within the bound.
 */
export interface CredentialMemo<T> {
  recall(key: string): T | undefined;
  remember(key: string, value: T): void;
  /**
   * The remembered value, else the result of `load` (remembered when defined). Concurrent callers for one key share
   * one `load`, so when the entry lapses under load the credential is checked once, not once per request in flight.
   * A `forget` while a load runs drops it: later callers load afresh and the earlier result is not remembered.
   */
  resolve(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  forget(keys: readonly string[]): void;
  forgetAll(): void;
}

/** A process never remembers more credentials than this; past it the oldest go first. */
const MAX_ENTRIES = 10_000;

export function createCredentialMemo<T>(ttlMs: number, now: () => number = Date.now): CredentialMemo<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  const loading = new Map<string, Promise<T | undefined>>();
  // Bumped by every forget: a load that began before a revocation may have read the credential as still valid.
  let generation = 0;
  function recall(key: string): T | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now()) return entry.value;
    entries.delete(key);
    return undefined;
  }
  function remember(key: string, value: T): void {
    if (ttlMs <= 0) return;
    entries.delete(key);
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, { value, expiresAt: now() + ttlMs });
  }
  return {
    recall,
    remember,
    resolve(key, load) {
      const known = recall(key);
      if (known !== undefined) return Promise.resolve(known);
      const running = loading.get(key);
      if (running) return running;
      const startedIn = generation;
      const loaded = load().then(
        (value) => {
          if (loading.get(key) === loaded) loading.delete(key);
          if (value !== undefined && generation === startedIn) remember(key, value);
          return value;
        },
        (error: unknown) => {
          if (loading.get(key) === loaded) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, loaded);
      return loaded;
    },
    forget(keys) {
      generation += 1;
      for (const key of keys) {
        entries.delete(key);
        loading.delete(key);
      }
    },
    forgetAll() {
      generation += 1;
      entries.clear();
      loading.clear();
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
