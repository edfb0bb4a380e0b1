import type { Period } from "@status/shared";
import { DateTime, type DateTimeUnit } from "luxon";

/** A half-open time window [start, end). */
export interface TimeWindow {
  start: Date;
  end: Date;
}

const UNIT: Record<Period, DateTimeUnit> = {
  HOURLY: "hour",
  DAILY: "day",
  WEEKLY: "week",
  MONTHLY: "month",
  ANNUALLY: "year",
};

/**
 * The window of `period` that contains `instant`, with boundaries at local midnight (weeks start on Monday, ISO) in
 * the catalog's time zone — so a daily control in Europe/Madrid closes its day at 00:00 Madrid time, DST included.
 */
export function windowContaining(period: Period, instant: Date, timeZone: string): TimeWindow {
  const start = DateTime.fromJSDate(instant, { zone: timeZone }).startOf(UNIT[period], { useLocaleWeeks: false });
  const end = start.plus({ [UNIT[period]]: 1 });
  return { start: start.toJSDate(), end: end.toJSDate() };
}

function nextWindow(period: Period, window: TimeWindow, timeZone: string): TimeWindow {
  return windowContaining(period, window.end, timeZone);
}

/** The latest window that has closed by `now`. */
export function latestClosedWindow(period: Period, now: Date, timeZone: string): TimeWindow {
  const current = windowContaining(period, now, timeZone);
  return windowContaining(period, new Date(current.start.getTime() - 1), timeZone);
}

/** Every window of `period` overlapping [from, to), oldest first, at most `limit` (plus whether more existed). */
export function windowsOverlapping(
  period: Period,
  range: TimeWindow,
  timeZone: string,
  limit: number,
): { windows: TimeWindow[]; isTruncated: boolean } {
  const windows: TimeWindow[] = [];
  let window = windowContaining(period, range.start, timeZone);
  while (window.start < range.end) {
    if (windows.length === limit) return { windows, isTruncated: true };
    windows.push(window);
    window = nextWindow(period, window, timeZone);
  }
  return { windows, isTruncated: false };
}

/** Windows that closed in [from, now): those the scheduler owes. */
export function closedWindowsSince(
  period: Period,
  from: Date,
  now: Date,
  timeZone: string,
  limit: number,
): TimeWindow[] {
  const closedUntil = windowContaining(period, now, timeZone).start;
  if (closedUntil <= from) return [];
  return windowsOverlapping(period, { start: from, end: closedUntil }, timeZone, limit).windows;
}
