import { describe, expect, it } from "vitest";
import { createMemoryMashupLimiter } from "./mashup-limiter.ts";

describe("in-process mashup limiter (the embedded default)", () => {
  it("holds at most maxConcurrency slots until released or expired", async () => {
    let now = 1_000;
    const limiter = createMemoryMashupLimiter(() => now);
    const limits = { maxConcurrency: 2, ratePerSecond: null };
    const first = await limiter.tryAcquire("m", limits, 5_000);
    const second = await limiter.tryAcquire("m", limits, 5_000);
    expect("release" in first && "release" in second).toBe(true);
    expect(await limiter.tryAcquire("m", limits, 5_000)).toEqual({ retryInMs: expect.any(Number) });
    expect("release" in (await limiter.tryAcquire("other", limits, 5_000))).toBe(true);
    if ("release" in first) await first.release();
    expect("release" in (await limiter.tryAcquire("m", limits, 5_000))).toBe(true);
    now += 5_001; // both remaining holders expire (their worker died)
    expect("release" in (await limiter.tryAcquire("m", limits, 5_000))).toBe(true);
  });

  it("starts at most ratePerSecond calls a second after a burst of a tenth of a second's worth", async () => {
    let now = 0;
    const limiter = createMemoryMashupLimiter(() => now);
    const limits = { maxConcurrency: null, ratePerSecond: 20 };
    let granted = 0;
    for (; now < 2_000; now += 5) if ("release" in (await limiter.tryAcquire("m", limits, 1_000))) granted += 1;
    // 2 seconds at 20/s plus the burst of 2.
    expect(granted).toBeLessThanOrEqual(42);
    expect(granted).toBeGreaterThanOrEqual(40);
    // Once the bucket is empty, the wait named is the time to the next token (1/20 s).
    while ("release" in (await limiter.tryAcquire("m", limits, 1_000)));
    expect(await limiter.tryAcquire("m", limits, 1_000)).toEqual({ retryInMs: 50 });
  });
});
