import { describe, expect, it } from "vitest";
import {
  latestClosedVersionedWindow,
  nextUnevaluatedWindowStart,
  spanOfWindow,
  versionedClosedWindowsSince,
  versionedWindowsOverlapping,
  versionSpans,
} from "./version-windows.ts";

const at = (iso: string) => new Date(iso);
const show = (windows: { start: Date; end: Date; version: number | null }[]) =>
  windows.map((window) => `${window.start.toISOString().slice(0, 10)}/${window.version}`);

// 2025-03-06 is a Thursday, 2025-03-10 a Monday.
const DAILY_THEN_WEEKLY = versionSpans([
  { version: 1, period: "DAILY", effectiveFrom: null },
  { version: 2, period: "WEEKLY", effectiveFrom: "2025-03-10T00:00:00.000Z" },
]);

describe("windows of versioned controls", () => {
  it("gives each window the period of the version that decides it", () => {
    const { windows, isTruncated } = versionedWindowsOverlapping(
      DAILY_THEN_WEEKLY,
      { start: at("2025-03-08T00:00:00Z"), end: at("2025-03-24T00:00:00Z") },
      "UTC",
      100,
    );
    expect(isTruncated).toBe(false);
    expect(show(windows)).toEqual(["2025-03-08/1", "2025-03-09/1", "2025-03-10/2", "2025-03-17/2"]);
  });

  it("evaluates only whole windows of a version, so a change of period leaves the days between unevaluated", () => {
    // Weekly until Thursday 6 March, monthly from 1 April: the week of 3 March would cross into no version.
    const spans = versionSpans([
      { version: 1, period: "WEEKLY", effectiveFrom: null },
      { version: 2, period: "MONTHLY", effectiveFrom: "2025-04-01T00:00:00.000Z" },
    ]);
    const { windows } = versionedWindowsOverlapping(
      spans,
      { start: at("2025-03-17T00:00:00Z"), end: at("2025-05-01T00:00:00Z") },
      "UTC",
      100,
    );
    expect(show(windows)).toEqual(["2025-03-17/1", "2025-03-24/1", "2025-04-01/2"]);
    expect(spanOfWindow(spans, { start: at("2025-03-31T00:00:00Z"), end: at("2025-04-07T00:00:00Z") })).toBeUndefined();
  });

  it("skips a version superseded before it took effect", () => {
    const spans = versionSpans([
      { version: 1, period: "DAILY", effectiveFrom: null },
      { version: 2, period: "DAILY", effectiveFrom: "2025-03-05T00:00:00.000Z" },
      { version: 3, period: "DAILY", effectiveFrom: "2025-03-05T00:00:00.000Z" },
    ]);
    const { windows } = versionedWindowsOverlapping(
      spans,
      { start: at("2025-03-04T00:00:00Z"), end: at("2025-03-06T00:00:00Z") },
      "UTC",
      100,
    );
    expect(show(windows)).toEqual(["2025-03-04/1", "2025-03-05/3"]);
  });

  it("truncates at the limit across versions", () => {
    const { windows, isTruncated } = versionedWindowsOverlapping(
      DAILY_THEN_WEEKLY,
      { start: at("2025-03-08T00:00:00Z"), end: at("2025-03-24T00:00:00Z") },
      "UTC",
      3,
    );
    expect(isTruncated).toBe(true);
    expect(show(windows)).toEqual(["2025-03-08/1", "2025-03-09/1", "2025-03-10/2"]);
  });

  it("schedules the closed windows of every version since the cursor", () => {
    const windows = versionedClosedWindowsSince(
      DAILY_THEN_WEEKLY,
      at("2025-03-08T00:00:00Z"),
      at("2025-03-20T12:00:00Z"),
      "UTC",
      10,
    );
    expect(show(windows)).toEqual(["2025-03-08/1", "2025-03-09/1", "2025-03-10/2"]);
  });

  it("runs the latest closed window under the version deciding it, the previous one while the new has none closed", () => {
    expect(show([latestClosedVersionedWindow(DAILY_THEN_WEEKLY, at("2025-03-20T12:00:00Z"), "UTC")!])).toEqual([
      "2025-03-10/2",
    ]);
    expect(show([latestClosedVersionedWindow(DAILY_THEN_WEEKLY, at("2025-03-12T12:00:00Z"), "UTC")!])).toEqual([
      "2025-03-09/1",
    ]);
  });

  it("treats a draft as one span over all time", () => {
    const draft = [{ version: null, period: "MONTHLY" as const, from: -Infinity, until: Infinity }];
    expect(latestClosedVersionedWindow(draft, at("2025-03-20T12:00:00Z"), "UTC")).toMatchObject({
      start: at("2025-02-01T00:00:00Z"),
      version: null,
    });
  });
});

describe("where a new version takes effect", () => {
  it("is the next window, in the new period, after everything evaluated", () => {
    const next = (period: "DAILY" | "WEEKLY" | "MONTHLY", evaluatedThrough: string | null, previous: string | null) =>
      nextUnevaluatedWindowStart({ period, evaluatedThrough, previousEffectiveFrom: previous, timeZone: "UTC" });
    expect(next("DAILY", "2025-03-06T00:00:00.000Z", null)).toBe("2025-03-06T00:00:00.000Z");
    expect(next("WEEKLY", "2025-03-06T00:00:00.000Z", null)).toBe("2025-03-10T00:00:00.000Z");
    expect(next("MONTHLY", "2025-03-06T00:00:00.000Z", null)).toBe("2025-04-01T00:00:00.000Z");
    // Never before the version it follows, even when that version's windows were not evaluated yet.
    expect(next("DAILY", "2025-03-06T00:00:00.000Z", "2025-03-09T00:00:00.000Z")).toBe("2025-03-09T00:00:00.000Z");
    // Nothing evaluated yet: the new version decides every window from the first.
    expect(next("DAILY", null, null)).toBeNull();
  });

  it("follows the catalog's time zone", () => {
    expect(
      nextUnevaluatedWindowStart({
        period: "DAILY",
        evaluatedThrough: "2025-03-05T23:00:00.000Z",
        previousEffectiveFrom: null,
        timeZone: "Europe/Madrid",
      }),
    ).toBe("2025-03-05T23:00:00.000Z");
  });
});
