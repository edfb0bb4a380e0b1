/**
 * The key-value store behind sessions and rate limits: Redis/Dragonfly through ioredis when REDIS_URL is set,
 * an in-process map on the embedded default. Only commands Dragonfly also implements are used.
 */
export interface Cache {
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | null>;
  /** Stores `value`, expiring after `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores `value` only when `key` is absent; true when it was stored. Atomic. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** Increments a counter; a new counter expires after `ttlSeconds`. Returns the count and its remaining seconds. */
  increment(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }>;
  /** Adds a member to a set and (re)sets the set's expiry. */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
