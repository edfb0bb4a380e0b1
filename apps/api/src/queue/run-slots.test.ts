import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createRunSlots } from "./run-slots.ts";

const log = createLogger("silent");

function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe("run slots", () => {
  it("starts ids in order, never more than the concurrency at once, and resolves a batch once all have started", async () => {
    const release = gate();
    const started: string[] = [];
    const slots = createRunSlots(
      async (runId) => {
        started.push(runId);
        await release.wait;
      },
      2,
      log,
    );
    let isAdmitted = false;
    const admitted = slots.admit(["a", "b", "c", "d"]).then((refused) => {
      isAdmitted = true;
      return refused;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["a", "b"]);
    expect(slots.waitingCount()).toBe(2);
    expect(isAdmitted).toBe(false);
    release.open();
    expect(await admitted).toEqual([]);
    expect(started).toEqual(["a", "b", "c", "d"]);
    await slots.idle();
  });

  it("refuses the ids still waiting when closed, and lets the ones in flight finish", async () => {
    const release = gate();
    const finished: string[] = [];
    const slots = createRunSlots(
      async (runId) => {
        await release.wait;
        finished.push(runId);
      },
      1,
      log,
    );
    const first = slots.admit(["a", "b"]);
    const second = slots.admit(["c"]);
    slots.close();
    expect(await first).toEqual(["b"]);
    expect(await second).toEqual(["c"]);
    expect(await slots.admit(["d"])).toEqual(["d"]);
    const idle = slots.idle();
    release.open();
    await idle;
    expect(finished).toEqual(["a"]);
  });

  it("keeps going after a handler throws", async () => {
    const seen: string[] = [];
    const slots = createRunSlots(
      async (runId) => {
        seen.push(runId);
        if (runId === "bad") throw new Error("boom");
      },
      1,
      log,
    );
    await slots.admit(["bad", "good"]);
    await slots.idle();
    expect(seen).toEqual(["bad", "good"]);
  });
});
