import { describe, expect, it } from "vitest";
import { perPool } from "./per-pool.ts";

describe("perPool", () => {
  it("makes one value per pool on first use and gives it again", () => {
    let made = 0;
    const valueOf = perPool((pool: { name: string }) => ({ pool: pool.name, serial: ++made }));
    const a = { name: "a" };
    const b = { name: "b" };
    expect(valueOf(a)).toEqual({ pool: "a", serial: 1 });
    expect(valueOf(b)).toEqual({ pool: "b", serial: 2 });
    expect(valueOf(a)).toBe(valueOf(a));
    expect(made).toBe(2);
  });
});
