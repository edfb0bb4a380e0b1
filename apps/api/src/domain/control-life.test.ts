import { describe, expect, it } from "vitest";
import {
  lifeOf,
  planClosedWindowsSince,
  planWindows,
  spansWithinLife,
  sumSkipped,
  windowSkipReason,
} from "./control-life.ts";
import type { VersionSpan } from "./version-windows.ts";
import { countWindowsOverlapping } from "./windows.ts";

const at = (iso: string) => new Date(iso);
const show = (windows: { start: Date }[]) => windows.map((window) => window.start.toISOString().slice(0, 10));
const span = (period: VersionSpan["period"]): VersionSpan[] => [
  { version: 1, period, from: -Infinity, until: Infinity },
];
const MONDAY_WEEKS = { timeZone: "UTC", firstDayOfWeek: 1 };

describe("the life of a control", () => {
  it("runs from the later start to the earlier end of the control and its catalog", () => {
    const life = lifeOf(
      { startDate: "2026-10-01T00:00:00Z", endDate: null },
      { startDate: "2026-01-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z" },
    );
    expect(life).toEqual({ start: at("2026-10-01T00:00:00Z"), end: at("2027-01-01T00:00:00Z") });
    expect(lifeOf({ startDate: null, endDate: null }, { startDate: null, endDate: null })).toEqual({
      start: null,
      end: null,
    });
  });

  it("names why a window lies outside it", () => {
    const life = { start: at("2026-10-01T00:00:00Z"), end: at("2026-12-01T00:00:00Z") };
    expect(windowSkipReason({ start: at("2026-09-28T00:00:00Z"), end: at("2026-10-05T00:00:00Z") }, life)).toBe(
      "before_start",
    );
    expect(windowSkipReason({ start: at("2026-11-30T00:00:00Z"), end: at("2026-12-07T00:00:00Z") }, life)).toBe(
      "after_end",
    );
    expect(windowSkipReason({ start: at("2026-10-05T00:00:00Z"), end: at("2026-10-12T00:00:00Z") }, life)).toBeNull();
  });

  it("narrows version spans to it and drops spans wholly outside", () => {
    const spans: VersionSpan[] = [
      { version: 1, period: "DAILY", from: -Infinity, until: Date.parse("2026-09-01T00:00:00Z") },
      { version: 2, period: "WEEKLY", from: Date.parse("2026-09-01T00:00:00Z"), until: Infinity },
    ];
    const within = spansWithinLife(spans, { start: at("2026-10-01T00:00:00Z"), end: null });
    expect(within).toEqual([
      { version: 2, period: "WEEKLY", from: Date.parse("2026-10-01T00:00:00Z"), until: Infinity },
    ]);
  });
});

describe("planning windows inside the control's life", () => {
  const now = at("2026-12-15T12:00:00Z");
  const octoberFirst = { start: at("2026-10-01T00:00:00Z"), end: null }; // a Thursday

  it("never starts a weekly window before a catalog that starts on Thursday 1 October 2026 (not Monday 28 September)", () => {
    const plan = planWindows({
      spans: span("WEEKLY"),
      life: octoberFirst,
      calendar: MONDAY_WEEKS,
      range: { start: at("2026-09-01T00:00:00Z"), end: at("2026-11-01T00:00:00Z") },
      now,
      limit: 100,
    });
    // The partial week of 28 September is skipped: the first window is the first whole week, from Monday 5 October.
    expect(show(plan.windows)).toEqual(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]);
    // Weeks from Monday 31 August to Monday 28 September overlap the range before the start: five.
    expect(plan.skipped).toEqual([{ reason: "before_start", count: 5 }]);
  });

  it("starts weeks on the catalog's first day of week", () => {
    const plan = planWindows({
      spans: span("WEEKLY"),
      life: octoberFirst,
      calendar: { timeZone: "UTC", firstDayOfWeek: 4 },
      range: { start: at("2026-09-01T00:00:00Z"), end: at("2026-10-22T00:00:00Z") },
      now,
      limit: 100,
    });
    expect(show(plan.windows)).toEqual(["2026-10-01", "2026-10-08", "2026-10-15"]);
    expect(plan.skipped).toEqual([{ reason: "before_start", count: 5 }]); // from Thursday 27 August
  });

  it("skips windows that end after the end date, the partial last one included", () => {
    const plan = planWindows({
      spans: span("MONTHLY"),
      life: { start: at("2025-01-01T00:00:00Z"), end: at("2025-03-15T00:00:00Z") },
      calendar: "UTC",
      range: { start: at("2024-12-01T00:00:00Z"), end: at("2025-06-01T00:00:00Z") },
      now,
      limit: 100,
    });
    expect(show(plan.windows)).toEqual(["2025-01-01", "2025-02-01"]);
    expect(plan.skipped).toEqual([
      { reason: "before_start", count: 1 },
      { reason: "after_end", count: 3 },
    ]);
  });

  it("counts a range reaching years back without listing its windows, and refuses nothing for it", () => {
    const plan = planWindows({
      spans: span("HOURLY"),
      life: { start: at("2025-01-01T00:00:00Z"), end: null },
      calendar: "UTC",
      range: { start: at("2000-01-01T00:00:00Z"), end: at("2025-01-01T05:00:00Z") },
      now,
      limit: 10,
    });
    expect(plan.windows).toHaveLength(5);
    expect(plan.isTruncated).toBe(false);
    expect(plan.skipped).toEqual([
      { reason: "before_start", count: (Date.UTC(2025, 0, 1) - Date.UTC(2000, 0, 1)) / 3_600_000 },
    ]);
  });

  it("evaluates the latest closed window inside the life: the last one of an ended control, none before the start", () => {
    const ended = planWindows({
      spans: span("DAILY"),
      life: { start: at("2026-01-01T00:00:00Z"), end: at("2026-06-10T12:00:00Z") },
      calendar: "UTC",
      range: null,
      now,
      limit: 100,
    });
    expect(show(ended.windows)).toEqual(["2026-06-09"]);
    const notStarted = planWindows({
      spans: span("DAILY"),
      life: { start: at("2027-01-01T00:00:00Z"), end: null },
      calendar: "UTC",
      range: null,
      now,
      limit: 100,
    });
    expect(notStarted).toEqual({ windows: [], skipped: [{ reason: "before_start", count: 1 }], isTruncated: false });
  });

  it("gives the scheduler only whole closed windows from the start date on", () => {
    const windows = planClosedWindowsSince({
      spans: span("WEEKLY"),
      life: octoberFirst,
      calendar: MONDAY_WEEKS,
      from: octoberFirst.start,
      until: at("2026-10-20T00:00:00Z"),
      limit: 10,
    });
    expect(show(windows)).toEqual(["2026-10-05", "2026-10-12"]); // not the week of 28 September, nor the open one
  });

  it("adds up a catalog's skipped windows by reason", () => {
    expect(
      sumSkipped([
        [{ reason: "before_start", count: 2 }],
        [
          { reason: "before_start", count: 3 },
          { reason: "after_end", count: 1 },
        ],
      ]),
    ).toEqual([
      { reason: "before_start", count: 5 },
      { reason: "after_end", count: 1 },
    ]);
  });
});

describe("counting windows on the calendar", () => {
  it("counts local days and weeks across daylight-saving changes", () => {
    const year = { start: at("2024-12-31T23:00:00Z"), end: at("2025-12-31T23:00:00Z") };
    expect(countWindowsOverlapping("DAILY", year, "Europe/Madrid")).toBe(365);
    expect(countWindowsOverlapping("MONTHLY", year, "Europe/Madrid")).toBe(12);
    expect(
      countWindowsOverlapping(
        "WEEKLY",
        { start: at("2025-03-01T00:00:00Z"), end: at("2025-04-01T00:00:00Z") },
        { timeZone: "Europe/Madrid", firstDayOfWeek: 7 },
      ),
    ).toBe(6); // Sundays 23 Feb … 30 Mar
  });
});
