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
 * The calendar a catalog's windows follow: its IANA time zone and the day its weeks start on (ISO numbering, 1 =
 * Monday … 7 = Sunday). A bare time zone is the ISO calendar: weeks from Monday.
 */
export interface WindowCalendar {
  timeZone: string;
  firstDayOfWeek: number;
}
export type Calendar = WindowCalendar | string;

function calendarOf(calendar: Calendar): WindowCalendar {
  return typeof calendar === "string" ? { timeZone: calendar, firstDayOfWeek: 1 } : calendar;
}

/** The window calendar of a catalog. */
export function catalogCalendar(catalog: { timeZone: string; firstDayOfWeek: number }): WindowCalendar {
  return { timeZone: catalog.timeZone, firstDayOfWeek: catalog.firstDayOfWeek };
}

function startOfWindow(period: Period, instant: Date, calendar: WindowCalendar): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: calendar.timeZone });
  if (period !== "WEEKLY") return local.startOf(UNIT[period]);
  // Weeks start on the catalog's first day of week, at local midnight.
  const day = local.startOf("day");
  return day.minus({ days: (day.weekday - calendar.firstDayOfWeek + 7) % 7 });
}

/**
 * The window of `period` that contains `instant`, with boundaries at local midnight (weeks start on the calendar's
 * first day of week, Monday unless the catalog sets another) in the catalog's time zone — so a daily control in
 * Europe/Madrid closes its day at 00:00 Madrid time, DST included.
 */
export function windowContaining(period: Period, instant: Date, calendar: Calendar): TimeWindow {
  const start = startOfWindow(period, instant, calendarOf(calendar));
  const end = start.plus({ [UNIT[period]]: 1 });
  return { start: start.toJSDate(), end: end.toJSDate() };
}

function nextWindow(period: Period, window: TimeWindow, calendar: Calendar): TimeWindow {
  return windowContaining(period, window.end, calendar);
}

/** The start of the first window that begins at or after `instant` (the instant itself when it is a boundary). */
export function firstWindowStartAtOrAfter(period: Period, instant: Date, calendar: Calendar): Date {
  const window = windowContaining(period, instant, calendar);
  return window.start.getTime() === instant.getTime() ? window.start : window.end;
}

/**
 * How many windows of `period` overlap [start, end), counted on the calendar rather than one by one, so a range
 * reaching years back costs nothing.
 */
export function countWindowsOverlapping(period: Period, range: TimeWindow, calendar: Calendar): number {
  if (range.end <= range.start) return 0;
  const zone = calendarOf(calendar).timeZone;
  const first = DateTime.fromJSDate(windowContaining(period, range.start, calendar).start, { zone });
  const last = DateTime.fromJSDate(windowContaining(period, new Date(range.end.getTime() - 1), calendar).end, { zone });
  // Hours are counted in elapsed time (a DST change adds or removes one); the other units on the local calendar.
  if (period === "HOURLY") return Math.round((last.toMillis() - first.toMillis()) / 3_600_000);
  return Math.round(last.diff(first, UNIT[period]).as(UNIT[period]));
}

/** The latest window that has closed by `now`. */
export function latestClosedWindow(period: Period, now: Date, calendar: Calendar): TimeWindow {
  const current = windowContaining(period, now, calendar);
  return windowContaining(period, new Date(current.start.getTime() - 1), calendar);
}

/** Every window of `period` overlapping [from, to), oldest first, at most `limit` (plus whether more existed). */
export function windowsOverlapping(
  period: Period,
  range: TimeWindow,
  calendar: Calendar,
  limit: number,
): { windows: TimeWindow[]; isTruncated: boolean } {
  const windows: TimeWindow[] = [];
  let window = windowContaining(period, range.start, calendar);
  while (window.start < range.end) {
    if (windows.length === limit) return { windows, isTruncated: true };
    windows.push(window);
    window = nextWindow(period, window, calendar);
  }
  return { windows, isTruncated: false };
}

/** Windows that closed in [from, now): those the scheduler owes. */
export function closedWindowsSince(
  period: Period,
  from: Date,
  now: Date,
  calendar: Calendar,
  limit: number,
): TimeWindow[] {
  const closedUntil = windowContaining(period, now, calendar).start;
  if (closedUntil <= from) return [];
  return windowsOverlapping(period, { start: from, end: closedUntil }, calendar, limit).windows;
}
