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
});
