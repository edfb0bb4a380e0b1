import { Redis, ReplyError } from "ioredis";
import { CacheUnavailableError } from "../errors.ts";
import type { Cache } from "./cache.ts";

/** The longest a command waits for the very first connection (a process that has just started). */
const FIRST_CONNECT_WAIT_MS = 500;

/**
 * Redis or Dragonfly through ioredis. Every key gets `keyPrefix`, so several installations can share a server.
 *
 * A cache that is down fails fast: commands are not queued while disconnected (ioredis would hold them until it
 * reconnects) and each has `timeoutMs`, so a caller gets CacheUnavailableError (503 `cache_unavailable`) at once and
 * can fall back to the database. ioredis keeps reconnecting in the background.
 */
export function createRedisCache(url: string, keyPrefix: string, options: { timeoutMs?: number } = {}): Cache {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  // Connection errors surface on the commands that fail and in readiness.
  redis.on("error", () => undefined);
  let hasBeenReady = false;
  const firstReady = new Promise<void>((resolve) =>
    redis.once("ready", () => {
      hasBeenReady = true;
      resolve();
    }),
  );

  /** Runs a command; a connection problem (not a reply error, which is a bug) becomes CacheUnavailableError. */
  async function run<T>(command: () => Promise<T>): Promise<T> {
    // Without the offline queue, a command sent while the first connection is still being made would fail.
    if (!hasBeenReady)
      await Promise.race([firstReady, new Promise((resolve) => setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref())]);
    try {
      return await command();
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      throw new CacheUnavailableError(error);
    }
  }

  return {
    kind: "redis",
    get: (key) => run(() => redis.get(key)),
    async set(key, value, ttlSeconds) {
      await run(() => redis.set(key, value, "EX", ttlSeconds));
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await run(() => redis.set(key, value, "EX", ttlSeconds, "NX"))) === "OK";
    },
    async del(...keys) {
      return keys.length === 0 ? 0 : run(() => redis.del(...keys));
    },
    async increment(key, ttlSeconds) {
      const count = await run(() => redis.incr(key));
      if (count === 1) await run(() => redis.expire(key, ttlSeconds));
      const remaining = await run(() => redis.ttl(key));
      // A counter left without expiry (a crash between INCR and EXPIRE) gets one now instead of blocking forever.
      if (remaining < 0) await run(() => redis.expire(key, ttlSeconds));
      return { count, ttlSeconds: remaining > 0 ? remaining : ttlSeconds };
    },
    async addToSet(key, member, ttlSeconds) {
      await run(() => redis.multi().sadd(key, member).expire(key, ttlSeconds).exec());
    },
    async removeFromSet(key, member) {
      await run(() => redis.srem(key, member));
    },
    setMembers: (key) => run(() => redis.smembers(key)),
    async ping() {
      await run(() => redis.ping());
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
