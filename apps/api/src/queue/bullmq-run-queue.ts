import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { RunQueue } from "./run-queue.ts";

const QUEUE_NAME = "runs";

/**
 * BullMQ on Redis or Dragonfly. The prefix is wrapped in braces (a hash tag) so all of the queue's keys land in one
 * slot, as Dragonfly and Redis Cluster need for BullMQ's scripts. Retries are the engine's (with its own backoff
 * and attempt count in Postgres), so each job is tried once and removed when done.
 */
export function createBullmqRunQueue(options: { url: string; keyPrefix: string; log: Logger }): RunQueue {
  const prefix = `{${options.keyPrefix}bull}`;
  const connection = new Redis(options.url, { maxRetriesPerRequest: null });
  connection.on("error", () => undefined);
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;

  return {
    kind: "bullmq",
    async enqueue(runIds, delayMs = 0) {
      if (runIds.length === 0) return;
      await queue.addBulk(
        runIds.map((runId) => ({
          name: "run",
          data: { runId },
          opts: { delay: delayMs > 0 ? delayMs : undefined, removeOnComplete: true, removeOnFail: true, attempts: 1 },
        })),
      );
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
    async waitingCount() {
      return queue.getWaitingCount();
    },
    async close() {
      await worker?.close();
      await queue.close();
      await workerConnection?.quit().catch(() => undefined);
      await connection.quit().catch(() => undefined);
    },
  };
}
