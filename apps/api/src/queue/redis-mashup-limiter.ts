import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { burstOf, FULL_POLL_MS, type MashupLimiter } from "./mashup-limiter.ts";

/**
 * One try, atomic in Redis: drop expired holders, refuse when the concurrency limit is full (-1), refill the bucket
 * by the time since the last take and refuse with the milliseconds until the next token (> 0), else take the token
 * and the slot (0). Redis's clock is the one clock, so workers on several machines agree.
 *   KEYS: holders (sorted set, score = expiry), bucket (hash tokens/at)
 *   ARGV: maxConcurrency (0: none), ratePerSecond (0: none), burst, holdMs, holder
 */
const TRY_ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local hold = tonumber(ARGV[4])
if max > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= max then return -1 end
end
if rate > 0 then
  local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
  local tokens = tonumber(state[1])
  if tokens == nil then tokens = burst else tokens = math.min(burst, tokens + (now - tonumber(state[2])) * rate / 1000) end
  if tokens < 1 then return math.max(1, math.ceil((1 - tokens) * 1000 / rate)) end
  redis.call('HSET', KEYS[2], 'tokens', tostring(tokens - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[2], math.ceil(burst * 1000 / rate) + 1000)
end
if max > 0 then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], hold + 1000)
end
return 0
`;

type LimiterRedis = Redis & {
  mashupTryAcquire(
    holders: string,
    bucket: string,
    max: number,
    rate: number,
    burst: number,
    holdMs: number,
    holder: string,
  ): Promise<number>;
};

/**
 * The limits in Redis/Dragonfly, shared by every worker using the same key prefix. A mashup's two keys share a hash
 * tag, so the script's keys sit in one slot (Redis Cluster, Dragonfly).
 */
export function createRedisMashupLimiter(options: {
  url: string;
  keyPrefix: string;
  log: Logger;
  timeoutMs?: number;
}): MashupLimiter {
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    commandTimeout: options.timeoutMs ?? 5_000,
  }) as LimiterRedis;
  redis.on("error", (error) => options.log.debug({ err: error }, "mashup limiter: Redis connection problem"));
  redis.defineCommand("mashupTryAcquire", { numberOfKeys: 2, lua: TRY_ACQUIRE });
  const process = randomUUID();
  let nextHolder = 0;
  const keys = (mashupId: string) => {
    const tag = `{${options.keyPrefix}mashup-limit:${mashupId}}`;
    return { holders: `${tag}:holders`, bucket: `${tag}:bucket` };
  };
  return {
    kind: "redis",
    async tryAcquire(mashupId, limits, holdMs) {
      const { holders, bucket } = keys(mashupId);
      const holder = `${process}:${nextHolder++}`;
      const rate = limits.ratePerSecond ?? 0;
      const answer = await redis.mashupTryAcquire(
        holders,
        bucket,
        limits.maxConcurrency ?? 0,
        rate,
        rate > 0 ? burstOf(rate) : 0,
        holdMs,
        holder,
      );
      if (answer === -1) return { retryInMs: FULL_POLL_MS };
      if (answer > 0) return { retryInMs: answer };
      if (limits.maxConcurrency === null) return { release: async () => undefined };
      return {
        release: async () => {
          // A release that cannot reach Redis is left to the slot's expiry.
          await redis.zrem(holders, holder).catch(() => undefined);
        },
      };
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
