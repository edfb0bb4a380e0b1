import type { Logger } from "../logger.ts";
import { createMemoryRunQueue } from "./memory-run-queue.ts";
import type { RunQueue } from "./run-queue.ts";

/**
 * BullMQ when Redis/Dragonfly is configured, the in-process queue otherwise. BullMQ (~19 MB resident) is loaded only
 * in the first case, so the embedded default never holds it.
 */
export async function openRunQueue(
  options: { url: string | undefined; keyPrefix: string; timeoutMs: number },
  log: Logger,
): Promise<RunQueue> {
  if (!options.url) return createMemoryRunQueue(log);
  const { createBullmqRunQueue } = await import("./bullmq-run-queue.ts");
  return createBullmqRunQueue({ url: options.url, keyPrefix: options.keyPrefix, log, timeoutMs: options.timeoutMs });
}
