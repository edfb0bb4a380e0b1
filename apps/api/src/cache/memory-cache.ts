import type { Cache } from "./cache.ts";

interface Entry {
  value: string | Set<string>;
  expiresAt: number;
}

/** The in-process cache of the embedded default: one process, no persistence, same semantics as the Redis one. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, Entry>();

  function read(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  // Expired entries are dropped lazily on read and by this sweep, so an idle process does not grow.
  const sweep = setInterval(() => {
    const current = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= current) entries.delete(key);
  }, 60_000);
  sweep.unref();

  return {
    kind: "memory",
    async get(key) {
      const entry = read(key);
      return typeof entry?.value === "string" ? entry.value : null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (read(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      return true;
    },
    async del(...keys) {
      let removed = 0;
      for (const key of keys) if (read(key) && entries.delete(key)) removed += 1;
      return removed;
    },
    async increment(key, ttlSeconds) {
      const entry = read(key);
      if (!entry) {
        entries.set(key, { value: "1", expiresAt: now() + ttlSeconds * 1000 });
        return { count: 1, ttlSeconds };
      }
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      return { count, ttlSeconds: Math.max(1, Math.ceil((entry.expiresAt - now()) / 1000)) };
    },
    async addToSet(key, member, ttlSeconds) {
      const entry = read(key);
      const members = entry?.value instanceof Set ? entry.value : new Set<string>();
      members.add(member);
      entries.set(key, { value: members, expiresAt: now() + ttlSeconds * 1000 });
    },
    async removeFromSet(key, member) {
      const entry = read(key);
      if (entry?.value instanceof Set) entry.value.delete(member);
    },
    async setMembers(key) {
      const entry = read(key);
      return entry?.value instanceof Set ? [...entry.value] : [];
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
