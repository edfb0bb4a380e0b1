import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createHandOffBuffer } from "./hand-off-buffer.ts";

const log = createLogger("silent");

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("hand-off buffer", () => {
  it("returns at once while the queue is down, then sends everything in order once it is back", async () => {
    let isDown = true;
    const sent: string[][] = [];
    const buffer = createHandOffBuffer(async (runIds) => {
      if (isDown) throw new Error("Connection is closed.");
      sent.push([...runIds]);
    }, log);

    const started = performance.now();
    buffer.add(["a", "b"], 0);
    buffer.add(["c"], 0);
    const tookMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(tookMs).toBeLessThan(20);
    expect(sent).toEqual([]);
    expect(buffer.pendingCount()).toBe(3);
    isDown = false;
    await waitFor(() => buffer.pendingCount() === 0);
    expect(sent).toEqual([["a", "b"], ["c"]]);
  });

  it("keeps a delayed delivery's due time across retries", async () => {
    let failures = 2;
    const delays: number[] = [];
    const buffer = createHandOffBuffer(async (_runIds, delayMs) => {
      if (failures-- > 0) throw new Error("down");
      delays.push(delayMs);
    }, log);

    buffer.add(["later"], 5_000);
    await waitFor(() => delays.length === 1);

    expect(delays[0]).toBeLessThan(5_000);
    expect(delays[0]).toBeGreaterThan(3_000);
  });

  it("drains what it can within the deadline on close", async () => {
    const buffer = createHandOffBuffer(async () => {
      throw new Error("down for good");
    }, log);
    buffer.add(["x"], 0);

    const started = Date.now();
    await buffer.drain(300);

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(buffer.pendingCount()).toBe(1);
  });
});
