import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { createHandOffBuffer } from "./hand-off-buffer.ts";
import type { RunQueue } from "./run-queue.ts";
import { createRunSlots, type RunSlots } from "./run-slots.ts";

const QUEUE_NAME = "runs";
/** On close, how long waiting hand-offs may still be sent before they are left to the sweeper. */
const CLOSE_DRAIN_MS = 2_000;
/**
 * Run ids per job. Each job costs an add and a fetch-and-finish script in Redis and BullMQ's JS around them in the
 * worker, so a job of 32 ids costs a run a thirty-second of that; few enough that several workers still share a
 * batch. 32 rather than 16: the ids a fetch brings also make larger claims (fewer claim statements per run).
 */
const RUNS_PER_JOB = 32;
/**
 * Jobs a worker holds at once. A job is done once its ids have started, so this bounds the ids a worker holds
 * beyond its running ones (2 × RUNS_PER_JOB), while the next job is fetched as the last one's ids start.
 */
const JOBS_IN_HAND = 2;

/** A job's run ids; jobs sent before runs were sent in chunks carry one `runId`. */
interface RunsJob {
  runIds?: string[];
  runId?: string;
}

function runIdsOf(data: RunsJob): string[] {
  return data.runIds ?? (data.runId === undefined ? [] : [data.runId]);
}

/**
 * BullMQ on Redis or Dragonfly. The prefix is wrapped in braces (a hash tag) so all of the queue's keys land in one
 * slot, as Dragonfly and Redis Cluster need for BullMQ's scripts. Retries are the engine's (with its own backoff
 * and attempt count in Postgres), so each job is tried once and removed when done. A job carries up to RUNS_PER_JOB
 * run ids, and the worker admits them into its slots for runs (`concurrency` at once).
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
  let slots: RunSlots | undefined;
  const handOff = createHandOffBuffer(async (runIds, delayMs) => {
    const jobs = [];
    for (let start = 0; start < runIds.length; start += RUNS_PER_JOB) {
      jobs.push({
        name: "runs",
        data: { runIds: runIds.slice(start, start + RUNS_PER_JOB) } satisfies RunsJob,
        opts: { delay: delayMs > 0 ? delayMs : undefined, removeOnComplete: true, removeOnFail: true, attempts: 1 },
      });
    }
    await queue.addBulk(jobs);
  }, options.log);

  /** Run ids in the waiting jobs: the jobs' data, read in one round trip (health checks only). */
  async function waitingInRedis(): Promise<number> {
    const jobIds = await queue.getRanges(["waiting"], 0, -1);
    if (jobIds.length === 0) return 0;
    const pipeline = connection.pipeline();
    for (const jobId of jobIds) pipeline.hget(queue.toKey(jobId), "data");
    const replies = (await pipeline.exec()) ?? [];
    return replies.reduce((count, [, data]) => {
      // A job finished since the listing has no data any more.
      if (typeof data !== "string") return count;
      return count + runIdsOf(JSON.parse(data) as RunsJob).length;
    }, 0);
  }

  return {
    kind: "bullmq",
    async enqueue(runIds, delayMs = 0) {
      handOff.add(runIds, delayMs);
    },
    startWorker(handler, concurrency) {
      workerConnection = new Redis(options.url, { maxRetriesPerRequest: null });
      workerConnection.on("error", () => undefined);
      const runSlots = createRunSlots(handler, concurrency, options.log);
      slots = runSlots;
      worker = new Worker(
        QUEUE_NAME,
        async (job) => {
          // Ids refused because the worker is stopping go back to the queue for another worker (or this one again).
          const refused = await runSlots.admit(runIdsOf(job.data as RunsJob));
          handOff.add(refused, 0);
        },
        { connection: workerConnection, prefix, concurrency: JOBS_IN_HAND },
      );
      worker.on("error", (error) => options.log.warn({ err: error }, "run worker connection problem"));
    },
    async stopWorker() {
      // Stops taking jobs and starting runs (the ids waiting for a slot go back to the queue); the runs in flight
      // finish (the engine bounds how long by returning its runs).
      slots?.close();
      await worker?.close();
      // A worker started again (tests) opens its own connection: this one is done.
      await workerConnection?.quit().catch(() => undefined);
      workerConnection = undefined;
      await slots?.idle();
    },
    async waitingCount() {
      return (await waitingInRedis()) + handOff.pendingCount() + (slots?.waitingCount() ?? 0);
    },
    async close() {
      slots?.close();
      await worker?.close();
      // Returns once the handlers in flight have, as when a job was one run.
      await slots?.idle();
      await handOff.drain(CLOSE_DRAIN_MS);
      await queue.close().catch(() => undefined);
      await workerConnection?.quit().catch(() => undefined);
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
