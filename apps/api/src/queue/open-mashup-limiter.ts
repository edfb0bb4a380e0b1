import type { Logger } from "../logger.ts";
import { createMemoryMashupLimiter, type MashupLimiter } from "./mashup-limiter.ts";
import { createRedisMashupLimiter } from "./redis-mashup-limiter.ts";

/** Redis/Dragonfly when configured, so limits hold across workers; in this process otherwise. */
export function openMashupLimiter(
  options: { url: string | undefined; keyPrefix: string; timeoutMs: number },
  log: Logger,
): MashupLimiter {
  if (!options.url) return createMemoryMashupLimiter();
  return createRedisMashupLimiter({
    url: options.url,
    keyPrefix: options.keyPrefix,
    log,
    timeoutMs: options.timeoutMs,
  });
}
