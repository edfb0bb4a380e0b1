import type { Logger } from "../logger.ts";
import { createBullmqRunQueue } from "./bullmq-run-queue.ts";
import { createMemoryRunQueue } from "./memory-run-queue.ts";
import type { RunQueue } from "./run-queue.ts";

/** BullMQ when Redis/Dragonfly is configured, the in-process queue otherwise. */
export function openRunQueue(
  options: { url: string | undefined; keyPrefix: string; timeoutMs: number },
  log: Logger,
): RunQueue {
  return options.url
    ? createBullmqRunQueue({ url: options.url, keyPrefix: options.keyPrefix, log, timeoutMs: options.timeoutMs })
    : createMemoryRunQueue(log);
}
