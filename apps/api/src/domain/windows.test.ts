import { describe, expect, it } from "vitest";
import {
  closedWindowsSince,
  firstWindowStartAtOrAfter,
  latestClosedWindow,
  windowContaining,
  windowsOverlapping,
} from "./windows.ts";

const iso = (date: Date) => date.toISOString();

describe("period windows", () => {
  it("puts daily boundaries at local midnight of the catalog's time zone", () => {
    const window = windowContaining("DAILY", new Date("2025-06-10T22:30:00Z"), "Europe/Madrid");
    expect(iso(window.start)).toBe("2025-06-10T22:00:00.000Z");
    expect(iso(window.end)).toBe("2025-06-11T22:00:00.000Z");
  });

  it("makes the day of a DST change 23 hours long", () => {
    const window = windowContaining("DAILY", new Date("2025-03-30T12:00:00Z"), "Europe/Madrid");
    expect((window.end.getTime() - window.start.getTime()) / 3_600_000).toBe(23);
  });

  it("starts weeks on Monday and years on 1 January", () => {
    expect(iso(windowContaining("WEEKLY", new Date("2025-06-12T10:00:00Z"), "UTC").start)).toBe(
      "2025-06-09T00:00:00.000Z",
    );
    expect(iso(windowContaining("ANNUALLY", new Date("2025-06-12T10:00:00Z"), "UTC").start)).toBe(
      "2025-01-01T00:00:00.000Z",
    );
    expect(iso(windowContaining("MONTHLY", new Date("2025-02-12T10:00:00Z"), "UTC").end)).toBe(
      "2025-03-01T00:00:00.000Z",
    );
    expect(iso(windowContaining("HOURLY", new Date("2025-02-12T10:59:59Z"), "UTC").start)).toBe(
      "2025-02-12T10:00:00.000Z",
    );
  });

  it("finds the latest closed window", () => {
    const window = latestClosedWindow("MONTHLY", new Date("2025-06-12T10:00:00Z"), "UTC");
    expect(iso(window.start)).toBe("2025-05-01T00:00:00.000Z");
    expect(iso(window.end)).toBe("2025-06-01T00:00:00.000Z");
  });

  it("lists windows overlapping a range, truncated at the limit", () => {
    const range = { start: new Date("2025-01-15T00:00:00Z"), end: new Date("2025-04-01T00:00:00Z") };
    expect(windowsOverlapping("MONTHLY", range, "UTC", 10).windows.map((window) => iso(window.start))).toEqual([
      "2025-01-01T00:00:00.000Z",
      "2025-02-01T00:00:00.000Z",
      "2025-03-01T00:00:00.000Z",
    ]);
    expect(windowsOverlapping("DAILY", range, "UTC", 5)).toMatchObject({ isTruncated: true });
  });

  it("owes only windows that have closed", () => {
    const windows = closedWindowsSince(
      "DAILY",
      new Date("2025-01-01T00:00:00Z"),
      new Date("2025-01-04T08:00:00Z"),
      "UTC",
      100,
    );
    expect(windows.map((window) => iso(window.start))).toEqual([
      "2025-01-01T00:00:00.000Z",
      "2025-01-02T00:00:00.000Z",
      "2025-01-03T00:00:00.000Z",
    ]);
  });
});

describe("weeks of a catalog that sets its first day of week", () => {
  it("start at local midnight of that day, in the catalog's zone", () => {
    const sundays = { timeZone: "Europe/Madrid", firstDayOfWeek: 7 };
    const window = windowContaining("WEEKLY", new Date("2025-03-27T12:00:00Z"), sundays);
    expect(window.start.toISOString()).toBe("2025-03-22T23:00:00.000Z"); // Sunday 23 March, 00:00 CET
    expect(window.end.toISOString()).toBe("2025-03-29T23:00:00.000Z"); // Sunday 30 March, 00:00 CET (before the change)
    const after = windowContaining("WEEKLY", window.end, sundays);
    expect(after.end.toISOString()).toBe("2025-04-05T22:00:00.000Z"); // Sunday 6 April, 00:00 CEST
  });

  it("keep Monday for a bare time zone, and the day itself starts its own week", () => {
    expect(windowContaining("WEEKLY", new Date("2026-10-01T10:00:00Z"), "UTC").start.toISOString()).toBe(
      "2026-09-28T00:00:00.000Z",
    );
    const thursdays = { timeZone: "UTC", firstDayOfWeek: 4 };
    expect(windowContaining("WEEKLY", new Date("2026-10-01T00:00:00Z"), thursdays).start.toISOString()).toBe(
      "2026-10-01T00:00:00.000Z",
    );
    expect(firstWindowStartAtOrAfter("WEEKLY", new Date("2026-10-01T00:00:00Z"), "UTC").toISOString()).toBe(
      "2026-10-05T00:00:00.000Z",
    );
  });
});
