import type { Cache } from "./cache.ts";
import { createMemoryCache } from "./memory-cache.ts";
import { createRedisCache } from "./redis-cache.ts";

/** Redis/Dragonfly when a URL is configured, the in-process cache otherwise. */
export function openCache(options: { url: string | undefined; keyPrefix: string; timeoutMs: number }): Cache {
  return options.url
    ? createRedisCache(options.url, options.keyPrefix, { timeoutMs: options.timeoutMs })
    : createMemoryCache();
}
