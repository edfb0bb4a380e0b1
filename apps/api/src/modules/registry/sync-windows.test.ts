import { describe, expect, it } from "vitest";
import { windowsToSync } from "./sync-windows.ts";

const base = {
  catalogStart: "2025-01-01T00:00:00Z",
  catalogEnd: null,
  timeZone: "UTC",
  now: new Date("2025-06-10T12:00:00Z"),
  limit: 100,
};

describe("windows a registry sync asks for", () => {
  it("takes each distinct window that closed within (from, to], shared by controls of the same period", () => {
    const plan = windowsToSync({
      ...base,
      controls: [
        { id: "a", period: "DAILY", startDate: null, endDate: null },
        { id: "b", period: "DAILY", startDate: null, endDate: null },
        { id: "m", period: "MONTHLY", startDate: null, endDate: null },
      ],
      from: new Date("2025-05-30T00:00:00Z"),
      to: new Date("2025-06-01T00:00:00Z"),
    });
    expect(
      plan.windows.map((window) => [
        window.start.toISOString(),
        window.end.toISOString(),
        [...window.controlIds].sort(),
      ]),
    ).toEqual([
      ["2025-05-30T00:00:00.000Z", "2025-05-31T00:00:00.000Z", ["a", "b"]],
      ["2025-05-01T00:00:00.000Z", "2025-06-01T00:00:00.000Z", ["m"]],
      ["2025-05-31T00:00:00.000Z", "2025-06-01T00:00:00.000Z", ["a", "b"]],
    ]);
    expect(plan.isTruncated).toBe(false);
  });

  it("leaves out windows still open at `now` and windows before the control's start", () => {
    const plan = windowsToSync({
      ...base,
      controls: [{ id: "a", period: "DAILY", startDate: "2025-06-09T00:00:00Z", endDate: null }],
      from: new Date("2025-01-01T00:00:00Z"),
      to: new Date("2025-12-31T00:00:00Z"),
    });
    expect(plan.windows.map((window) => window.start.toISOString())).toEqual(["2025-06-09T00:00:00.000Z"]);
    expect(plan.coveredThrough.toISOString()).toBe("2025-06-10T12:00:00.000Z");
  });

  it("stops at the limit and reports how far it got", () => {
    const plan = windowsToSync({
      ...base,
      limit: 3,
      controls: [{ id: "a", period: "DAILY", startDate: null, endDate: null }],
      from: new Date("2025-03-01T00:00:00Z"),
      to: new Date("2025-03-31T00:00:00Z"),
    });
    expect(plan.isTruncated).toBe(true);
    expect(plan.windows).toHaveLength(3);
    expect(plan.coveredThrough.toISOString()).toBe("2025-03-04T00:00:00.000Z");
  });
});
