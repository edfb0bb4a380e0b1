import { describe, expect, it } from "vitest";
import { createMicroBatcher } from "./micro-batcher.ts";

describe("micro-batcher", () => {
  it("serves concurrent items with one flush, each getting its own result", async () => {
    const flushes: number[][] = [];
    const double = createMicroBatcher(
      async (items: number[]) => {
        flushes.push(items);
        return items.map((item) => item * 2);
      },
      { maxSize: 10, maxWaitMs: 5 },
    );
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it("flushes at once when the batch is full", async () => {
    const flushes: number[][] = [];
    const echo = createMicroBatcher(
      async (items: number[]) => {
        flushes.push(items);
        return items;
      },
      { maxSize: 2, maxWaitMs: 10_000 },
    );
    await Promise.all([1, 2, 3, 4].map(echo));
    expect(flushes).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("rejects every item of a failed flush", async () => {
    const fail = createMicroBatcher(
      async () => {
        throw new Error("down");
      },
      { maxSize: 5, maxWaitMs: 1 },
    );
    await expect(Promise.all([fail(1), fail(2)])).rejects.toThrow("down");
  });

  it("runs at most maxInFlight flushes at once, and gathers what arrives meanwhile into the next one", async () => {
    const flushes: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = createMicroBatcher(
      async (items: number[]) => {
        flushes.push(items);
        if (flushes.length === 1) await gate;
        return items;
      },
      { maxSize: 10, maxWaitMs: 1, maxInFlight: 1 },
    );
    const first = slow(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [2, 3, 4].map(slow);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushes).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });
});
