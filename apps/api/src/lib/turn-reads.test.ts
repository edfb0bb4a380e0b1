import { describe, expect, it } from "vitest";
import { createSharedReads, createTurnReads } from "./turn-reads.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("turn reads", () => {
  it("loads the distinct keys read in one turn together, and answers every read with its key's answer", async () => {
    const loads: string[][] = [];
    const reads = createTurnReads<string, string>({
      maxInFlight: 4,
      maxKeys: 100,
      textOf: (key) => key,
      load: async (keys) => {
        loads.push(keys);
        return keys.map((key) => `answer ${key}`);
      },
    });
    const answers = Promise.all([reads.read("a"), reads.read("b"), reads.read("a")]);
    expect(loads).toEqual([]);
    expect(await answers).toEqual(["answer a", "answer b", "answer a"]);
    expect(await reads.read("c")).toBe("answer c");
    expect(loads).toEqual([["a", "b"], ["c"]]);
  });

  it("starts a load only after every read of it was asked for, so no read gets an answer older than itself", async () => {
    const events: string[] = [];
    const reads = createTurnReads<string, number>({
      maxInFlight: 1,
      maxKeys: 100,
      textOf: (key) => key,
      load: async (keys) => {
        events.push(`load ${keys.join(",")}`);
        await nextTurn();
        return keys.map(() => events.length);
      },
    });
    const first = reads.read("x");
    events.push("asked x");
    await nextTurn();
    // The first load is in flight: a read of the same key now waits for a load of its own, not that one's answer.
    const second = reads.read("x");
    events.push("asked x again");
    await Promise.all([first, second]);
    expect(events).toEqual(["asked x", "load x", "asked x again", "load x"]);
  });

  it("splits the keys of a turn into loads of at most maxKeys, keeping reads of one key in one load", async () => {
    const loads: string[][] = [];
    const reads = createTurnReads<string, string>({
      maxInFlight: 4,
      maxKeys: 2,
      textOf: (key) => key.toLowerCase(),
      load: async (keys) => {
        loads.push(keys);
        return keys;
      },
    });
    const answers = await Promise.all(["a", "b", "A", "c", "B", "d"].map((key) => reads.read(key)));
    expect(loads).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(answers).toEqual(["a", "b", "a", "c", "b", "d"]);
  });

  it("rejects every read of a load that failed, and the next turn loads afresh", async () => {
    let isDown = true;
    const reads = createTurnReads<string, string>({
      maxInFlight: 4,
      maxKeys: 100,
      textOf: (key) => key,
      load: async (keys) => {
        if (isDown) throw new Error("database unreachable");
        return keys;
      },
    });
    const failed = await Promise.allSettled([reads.read("a"), reads.read("b")]);
    expect(failed.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    isDown = false;
    expect(await reads.read("a")).toBe("a");
  });

  it("shares a load between equal keys, and fails only the reads of a key whose load fails, even before it starts", async () => {
    const loaded: string[] = [];
    const reads = createSharedReads<string, string>({
      maxInFlight: 4,
      maxKeys: 100,
      textOf: (key) => key,
      loadOne: (key) => {
        if (key === "bad") throw new Error("refused before any promise");
        loaded.push(key);
        return Promise.resolve(`answer ${key}`);
      },
    });
    const outcomes = await Promise.allSettled([reads.read("a"), reads.read("bad"), reads.read("a"), reads.read("b")]);
    expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : "rejected"))).toEqual([
      "answer a",
      "rejected",
      "answer a",
      "answer b",
    ]);
    expect(loaded).toEqual(["a", "b"]);
  });
});
