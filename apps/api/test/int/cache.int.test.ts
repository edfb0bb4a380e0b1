import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cache } from "../../src/cache/cache.ts";
import { createMemoryCache } from "../../src/cache/memory-cache.ts";
import { createRedisCache } from "../../src/cache/redis-cache.ts";
import { uniqueSuffix } from "../test-app.ts";
import { TEST_REDIS_URL } from "../test-env.ts";

/**
 * One contract, two implementations: the in-process cache of the embedded default and Redis. Sessions and rate limits
 * rely on these semantics, so both must behave the same. Time moves by the memory cache's clock, and by waiting on
 * Redis (TTLs are one second there).
 */

async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const raw = new Redis(TEST_REDIS_URL);
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  raw.disconnect();
}

interface CacheUnderTest {
  cache: Cache;
  /** Lets `seconds` pass for the cache. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

const implementations: { name: string; open: () => CacheUnderTest }[] = [
  {
    name: "memory",
    open() {
      let nowMs = Date.parse("2025-06-01T12:00:00Z");
      const cache = createMemoryCache(() => nowMs);
      return {
        cache,
        async advance(seconds) {
          nowMs += seconds * 1000;
        },
        close: () => cache.close(),
      };
    },
  },
  {
    name: "redis",
    open() {
      const prefix = `status-test:cache-${uniqueSuffix()}:`;
      const cache = createRedisCache(TEST_REDIS_URL, prefix);
      return {
        cache,
        advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100)),
        async close() {
          await deleteKeysWithPrefix(prefix);
          await cache.close();
        },
      };
    },
  },
];

describe.each(implementations)("$name cache", ({ name, open }) => {
  let subject: CacheUnderTest;
  let cache: Cache;
  beforeEach(() => {
    subject = open();
    cache = subject.cache;
  });
  afterEach(() => subject.close());

  it("reports its kind", () => {
    expect(cache.kind).toBe(name);
  });

  it("answers ping", async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });

  it("returns a stored value until its TTL passes, then null", async () => {
    await cache.set("greeting", "hello", 1);

    expect(await cache.get("greeting")).toBe("hello");
    await subject.advance(1);
    expect(await cache.get("greeting")).toBeNull();
  });

  it("answers null for a key never set", async () => {
    expect(await cache.get("missing")).toBeNull();
  });

  it("replaces a value and its TTL on set", async () => {
    await cache.set("key", "first", 1);

    await cache.set("key", "second", 60);

    await subject.advance(1);
    expect(await cache.get("key")).toBe("second");
  });

  it("stores with setIfAbsent only when the key is absent, and again once it has expired", async () => {
    expect(await cache.setIfAbsent("lock", "a", 1)).toBe(true);
    expect(await cache.setIfAbsent("lock", "b", 1)).toBe(false);
    expect(await cache.get("lock")).toBe("a");

    await subject.advance(1);

    expect(await cache.setIfAbsent("lock", "c", 60)).toBe(true);
    expect(await cache.get("lock")).toBe("c");
  });

  it("lets exactly one of many concurrent setIfAbsent calls win", async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) => cache.setIfAbsent("race", String(index), 60)),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await cache.get("race")).toBe(String(results.indexOf(true)));
  });

  it("counts with increment, keeps the first TTL, and starts again after it", async () => {
    const first = await cache.increment("counter", 60);
    const second = await cache.increment("counter", 60);

    expect(first).toEqual({ count: 1, ttlSeconds: 60 });
    expect(second.count).toBe(2);
    expect(second.ttlSeconds).toBeGreaterThan(0);
    expect(second.ttlSeconds).toBeLessThanOrEqual(60);
    expect(await cache.get("counter")).toBe("2");
  });

  it("expires an increment counter after the TTL of its first increment", async () => {
    await cache.increment("window", 1);
    await cache.increment("window", 1);

    await subject.advance(1);

    expect(await cache.increment("window", 60)).toEqual({ count: 1, ttlSeconds: 60 });
  });

  it("counts concurrent increments exactly", async () => {
    await Promise.all(Array.from({ length: 20 }, () => cache.increment("busy", 60)));

    expect(await cache.get("busy")).toBe("20");
  });

  it("keeps set members, removes one, and lists none for a missing set", async () => {
    await cache.addToSet("members", "a", 60);
    await cache.addToSet("members", "b", 60);
    await cache.addToSet("members", "a", 60);

    await cache.removeFromSet("members", "a");
    await cache.removeFromSet("members", "not-a-member");

    expect(await cache.setMembers("members")).toEqual(["b"]);
    expect(await cache.setMembers("no-such-set")).toEqual([]);
  });

  it("expires a set after its TTL, which every addToSet renews", async () => {
    await cache.addToSet("renewed", "a", 1);
    await cache.addToSet("expiring", "a", 1);
    await cache.addToSet("renewed", "b", 60);

    await subject.advance(1);

    expect((await cache.setMembers("renewed")).sort()).toEqual(["a", "b"]);
    expect(await cache.setMembers("expiring")).toEqual([]);
  });

  it("deletes keys of every kind and counts only the ones that existed", async () => {
    await cache.set("value", "x", 60);
    await cache.addToSet("set", "m", 60);
    await cache.increment("count", 60);

    expect(await cache.del("value", "set", "count", "never-there")).toBe(3);
    expect(await cache.get("value")).toBeNull();
    expect(await cache.setMembers("set")).toEqual([]);
    expect(await cache.del()).toBe(0);
  });

  it("does not count an expired key as deleted", async () => {
    await cache.set("short", "x", 1);

    await subject.advance(1);

    expect(await cache.del("short")).toBe(0);
  });
});

describe("redis cache key prefix", () => {
  const raw = new Redis(TEST_REDIS_URL);
  afterAll(() => raw.disconnect());

  it("stores every key under its installation prefix, with the TTL it was given", async () => {
    const prefix = `status-test:cache-${uniqueSuffix()}:`;
    const cache = createRedisCache(TEST_REDIS_URL, prefix);
    try {
      await cache.set("value", "x", 120);
      await cache.addToSet("set", "m", 120);

      expect((await raw.keys(`${prefix}*`)).sort()).toEqual([`${prefix}set`, `${prefix}value`]);
      expect(await raw.ttl(`${prefix}value`)).toBeGreaterThan(110);
      expect(await raw.ttl(`${prefix}set`)).toBeGreaterThan(110);
      expect(await raw.get("value")).toBeNull();
    } finally {
      await cache.del("value", "set");
      await cache.close();
    }
  });
});
