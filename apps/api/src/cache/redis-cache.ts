import { Redis } from "ioredis";
import type { Cache } from "./cache.ts";

/** Redis or Dragonfly through ioredis. Every key gets `keyPrefix`, so several installations can share a server. */
export function createRedisCache(url: string, keyPrefix: string): Cache {
  const redis = new Redis(url, { keyPrefix, maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  // Connection errors surface on the commands that fail and in readiness; ioredis keeps reconnecting.
  redis.on("error", () => undefined);

  return {
    kind: "redis",
    get: (key) => redis.get(key),
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, "EX", ttlSeconds);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(key, value, "EX", ttlSeconds, "NX")) === "OK";
    },
    async del(...keys) {
      return keys.length === 0 ? 0 : redis.del(...keys);
    },
    async increment(key, ttlSeconds) {
      const count = await redis.incr(key);
      if (count === 1) await redis.expire(key, ttlSeconds);
      const remaining = await redis.ttl(key);
      // A counter left without expiry (a crash between INCR and EXPIRE) gets one now instead of blocking forever.
      if (remaining < 0) await redis.expire(key, ttlSeconds);
      return { count, ttlSeconds: remaining > 0 ? remaining : ttlSeconds };
    },
    async addToSet(key, member, ttlSeconds) {
      await redis.multi().sadd(key, member).expire(key, ttlSeconds).exec();
    },
    async removeFromSet(key, member) {
      await redis.srem(key, member);
    },
    setMembers: (key) => redis.smembers(key),
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
