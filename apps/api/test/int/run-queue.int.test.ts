import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { createBullmqRunQueue } from "../../src/queue/bullmq-run-queue.ts";
import { createMemoryRunQueue } from "../../src/queue/memory-run-queue.ts";
import type { RunQueue } from "../../src/queue/run-queue.ts";
import { uniqueSuffix } from "../test-app.ts";
import { TEST_REDIS_URL } from "../test-env.ts";

const log = createLogger("silent");

const implementations: [string, () => RunQueue][] = [
  ["in-process", () => createMemoryRunQueue(log)],
  [
    "BullMQ on Redis",
    () => createBullmqRunQueue({ url: TEST_REDIS_URL, keyPrefix: `status-test:${uniqueSuffix()}:`, log }),
  ],
];

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(implementations)("run queue: %s", (_name, create) => {
  let queue: RunQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
  });

  it("delivers every enqueued id to the worker once", async () => {
    queue = create();
    const seen: string[] = [];
    queue.startWorker(async (runId) => {
      seen.push(runId);
    }, 4);
    await queue.enqueue(["a", "b", "c"]);
    await waitFor(() => seen.length === 3);
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });

  it("holds a delayed delivery until its time", async () => {
    queue = create();
    const seen: { id: string; at: number }[] = [];
    queue.startWorker(async (runId) => {
      seen.push({ id: runId, at: Date.now() });
    }, 1);
    const enqueuedAt = Date.now();
    await queue.enqueue(["later"], 400);
    await waitFor(() => seen.length === 1);
    expect(seen[0]!.at - enqueuedAt).toBeGreaterThanOrEqual(350);
  });

  it("never runs more handlers at once than its concurrency", async () => {
    queue = create();
    let active = 0;
    let peak = 0;
    let done = 0;
    queue.startWorker(async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active -= 1;
      done += 1;
    }, 2);
    await queue.enqueue(Array.from({ length: 8 }, (_, index) => `run-${index}`));
    await waitFor(() => done === 8);
    expect(peak).toBe(2);
  });

  it("keeps delivering after a handler throws", async () => {
    queue = create();
    const seen: string[] = [];
    queue.startWorker(async (runId) => {
      seen.push(runId);
      if (runId === "bad") throw new Error("boom");
    }, 1);
    await queue.enqueue(["bad", "good"]);
    await waitFor(() => seen.length === 2);
    expect(seen).toContain("good");
  });

  it("counts the runs waiting and gives the ones not started back when the worker stops", async () => {
    queue = create();
    await queue.enqueue(Array.from({ length: 40 }, (_, index) => `run-${index}`));
    // Counted from the moment they are enqueued, whether sent to the queue's server yet or not.
    expect(await queue.waitingCount()).toBe(40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await queue.waitingCount()).toBe(40);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const first: string[] = [];
    queue.startWorker(async (runId) => {
      first.push(runId);
      await released;
    }, 2);
    await waitFor(() => first.length === 2);
    const stopping = queue.stopWorker();
    release();
    await stopping;
    // Every run the stopped worker did not start is delivered to the next one, none twice.
    const second: string[] = [];
    queue.startWorker(async (runId) => {
      second.push(runId);
    }, 4);
    await waitFor(() => first.length + second.length === 40);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...first, ...second].sort()).toEqual(Array.from({ length: 40 }, (_, index) => `run-${index}`).sort());
  });
});

describe("run queue: BullMQ jobs", () => {
  const keyPrefix = () => `status-test:${uniqueSuffix()}:`;
  const opened: { close: () => Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close();
  });
  function open(prefix: string): { runQueue: RunQueue; jobs: Queue } {
    const runQueue = createBullmqRunQueue({ url: TEST_REDIS_URL, keyPrefix: prefix, log });
    const connection = new Redis(TEST_REDIS_URL);
    const jobs = new Queue("runs", { connection, prefix: `{${prefix}bull}` });
    opened.push(runQueue, { close: () => connection.quit() }, jobs);
    return { runQueue, jobs };
  }

  it("hands a batch of runs over in jobs of several runs each, not one job per run", async () => {
    const { runQueue, jobs } = open(keyPrefix());
    await runQueue.enqueue(Array.from({ length: 70 }, (_, index) => `run-${index}`));
    // addBulk is one transaction: once a job is there, all are.
    await waitForAsync(async () => (await jobs.getWaitingCount()) > 0);
    expect(await jobs.getWaitingCount()).toBe(3);
    expect(await runQueue.waitingCount()).toBe(70);
  });

  it("still delivers a job of one run id sent by an earlier version", async () => {
    const { runQueue, jobs } = open(keyPrefix());
    await jobs.add("run", { runId: "from-before" });
    const seen: string[] = [];
    runQueue.startWorker(async (runId) => {
      seen.push(runId);
    }, 4);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(["from-before"]);
  });
});
