import { describe, expect, it } from "vitest";
import { createTurnBatches, takeFirst } from "./turn-batches.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("turn batches", () => {
  it("stores the items added in one turn as one batch, and a later lone item on its own", async () => {
    const batches: number[][] = [];
    const turn = createTurnBatches<number>({
      maxInFlight: 4,
      take: takeFirst(100),
      store: async (batch) => void batches.push(batch),
    });
    turn.add(1);
    turn.add(2);
    turn.add(3);
    expect(batches).toEqual([]);
    await nextTurn();
    turn.add(4);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("splits by the take function and holds new items while maxInFlight batches are stored", async () => {
    const stored: number[][] = [];
    const gates: Array<() => void> = [];
    const turn = createTurnBatches<number>({
      maxInFlight: 2,
      take: takeFirst(2),
      store: (batch) => {
        stored.push(batch);
        const gate = deferred();
        gates.push(gate.resolve);
        return gate.promise;
      },
    });
    for (const item of [1, 2, 3, 4, 5, 6, 7]) turn.add(item);
    await nextTurn();
    // Two batches in flight; the other items wait.
    expect(stored).toEqual([
      [1, 2],
      [3, 4],
    ]);
    turn.add(8);
    gates[0]!();
    await nextTurn();
    await nextTurn();
    expect(stored).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    gates[1]!();
    gates[2]!();
    await nextTurn();
    await nextTurn();
    expect(stored.at(-1)).toEqual([7, 8]);
  });
});
