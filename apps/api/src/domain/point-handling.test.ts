import type { PointHandling } from "@status/shared";
import { describe, expect, it } from "vitest";
import { isExceptionActive, withHandlingAt } from "./point-handling.ts";

const EXCEPTED: PointHandling = {
  acknowledged: null,
  exception: { id: "e1", expiresAt: "2027-01-31T00:00:00.000Z", approverName: "ada", isActive: false },
  commentCount: 1,
};

describe("point handling at a moment", () => {
  it("holds an exception until the instant it expires, not at it", () => {
    expect(isExceptionActive("2027-01-31T00:00:00Z", new Date("2027-01-30T23:59:59.999Z"))).toBe(true);
    expect(isExceptionActive("2027-01-31T00:00:00Z", new Date("2027-01-31T00:00:00Z"))).toBe(false);
  });

  it("marks each row's exception active or not by the clock, and leaves rows without one as they are", () => {
    const rows = [
      { id: "a", handling: EXCEPTED },
      { id: "b", handling: { acknowledged: null, exception: null, commentCount: 0 } },
      { id: "c", handling: null },
    ];
    const before = withHandlingAt(rows, new Date("2027-01-01T00:00:00Z"));
    const after = withHandlingAt(rows, new Date("2027-02-01T00:00:00Z"));

    expect(before[0]!.handling?.exception?.isActive).toBe(true);
    expect(after[0]!.handling?.exception?.isActive).toBe(false);
    expect(before.slice(1)).toEqual(rows.slice(1));
    expect(EXCEPTED.exception?.isActive).toBe(false);
  });
});
