import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { createHandOffBuffer } from "./hand-off-buffer.ts";
import type { RunQueue } from "./run-queue.ts";

const QUEUE_NAME = "runs";
/** On close, how long waiting hand-offs may still be sent before they are left to the sweeper. */
const CLOSE_DRAIN_MS = 2_000;

/**
 * BullMQ on Redis or Dragonfly. The prefix is wrapped in braces (a hash tag) so all of the queue's keys land in one
 * slot, as Dragonfly and Redis Cluster need for BullMQ's scripts. Retries are the engine's (with its own backoff
 * and attempt count in Postgres), so each job is tried once and removed when done.
 *
 * Enqueueing never waits on Redis: ids go through a hand-off buffer that retries while Redis is down. The producer's
 * connection fails fast (no offline queue, a command deadline) so the buffer learns of an outage at once.
 */
export function createBullmqRunQueue(options: {
  url: string;
  keyPrefix: string;
  log: Logger;
  timeoutMs?: number;
}): RunQueue {
  const prefix = `{${options.keyPrefix}bull}`;
  const connection = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: options.timeoutMs ?? 10_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  connection.on("error", () => undefined);
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  queue.on("error", () => undefined);
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  const handOff = createHandOffBuffer(async (runIds, delayMs) => {
    await queue.addBulk(
      runIds.map((runId) => ({
        name: "run",
        data: { runId },
        opts: { delay: delayMs > 0 ? delayMs : undefined, removeOnComplete: true, removeOnFail: true, attempts: 1 },
      })),
    );
  }, options.log);

  return {
    kind: "bullmq",
    async enqueue(runIds, delayMs = 0) {
      handOff.add(runIds, delayMs);
    },
    startWorker(handler, concurrency) {
      workerConnection = new Redis(options.url, { maxRetriesPerRequest: null });
      workerConnection.on("error", () => undefined);
      worker = new Worker(QUEUE_NAME, async (job) => handler((job.data as { runId: string }).runId), {
        connection: workerConnection,
        prefix,
        concurrency,
      });
      worker.on("error", (error) => options.log.warn({ err: error }, "run worker connection problem"));
    },
    async stopWorker() {
      // Stops taking jobs; the jobs in hand finish (the engine bounds how long by returning its runs).
      await worker?.close();
    },
    async waitingCount() {
      return (await queue.getWaitingCount()) + handOff.pendingCount();
    },
    async close() {
      await worker?.close();
      await handOff.drain(CLOSE_DRAIN_MS);
      await queue.close().catch(() => undefined);
      await workerConnection?.quit().catch(() => undefined);
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
