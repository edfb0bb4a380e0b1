import { describe, expect, it } from "vitest";
import { createMicroBatcher } from "./micro-batcher.ts";

describe("micro-batcher", () => {
  it("serves concurrent items with one flush, each getting its own result", async () => {
    const flushes: number[][] = [];
    const double = createMicroBatcher(async (items: number[]) => {
      flushes.push(items);
      return items.map((item) => item * 2);
    }, { maxSize: 10, maxWaitMs: 5 });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it("flushes at once when the batch is full", async () => {
    const flushes: number[][] = [];
    const echo = createMicroBatcher(async (items: number[]) => {
      flushes.push(items);
      return items;
    }, { maxSize: 2, maxWaitMs: 10_000 });
    await Promise.all([1, 2, 3, 4].map(echo));
    expect(flushes).toEqual([[1, 2], [3, 4]]);
  });

  it("rejects every item of a failed flush", async () => {
    const fail = createMicroBatcher(async () => {
      throw new Error("down");
    }, { maxSize: 5, maxWaitMs: 1 });
    await expect(Promise.all([fail(1), fail(2)])).rejects.toThrow("down");
  });
});
