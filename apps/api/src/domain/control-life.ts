import type { WindowSkipReason } from "@status/shared";
import {
  latestClosedVersionedWindow,
  versionedClosedWindowsSince,
  versionedWindowsOverlapping,
  type VersionedWindow,
  type VersionSpan,
} from "./version-windows.ts";
import {
  countWindowsOverlapping,
  firstWindowStartAtOrAfter,
  windowContaining,
  type Calendar,
  type TimeWindow,
} from "./windows.ts";

/**
 * The time a control lives: from the later of its own and its catalog's start to the earlier of their ends. Null is
 * unbounded (a draft without dates). Only whole windows inside it are evaluated: the first window starting before the
 * start date (a partial window) is skipped, and so is a last window that ends after the end date.
 */
export interface ControlLife {
  start: Date | null;
  end: Date | null;
}

type Dated = { startDate: string | null; endDate: string | null };

/** The life of a control in its catalog. */
export function lifeOf(control: Dated, catalog: Dated): ControlLife {
  const starts = [control.startDate, catalog.startDate].flatMap((date) => (date ? [Date.parse(date)] : []));
  const ends = [control.endDate, catalog.endDate].flatMap((date) => (date ? [Date.parse(date)] : []));
  return {
    start: starts.length > 0 ? new Date(Math.max(...starts)) : null,
    end: ends.length > 0 ? new Date(Math.min(...ends)) : null,
  };
}

/** Why a window cannot be evaluated, or null when it lies wholly inside the control's life. */
export function windowSkipReason(window: TimeWindow, life: ControlLife): WindowSkipReason | null {
  if (life.start && window.start < life.start) return "before_start";
  if (life.end && window.end > life.end) return "after_end";
  return null;
}

/** The version spans narrowed to the life, so every window planned from them lies wholly inside it. */
export function spansWithinLife(spans: readonly VersionSpan[], life: ControlLife): VersionSpan[] {
  const start = life.start?.getTime() ?? -Infinity;
  const end = life.end?.getTime() ?? Infinity;
  return spans.flatMap((span) => {
    const from = Math.max(span.from, start);
    const until = Math.min(span.until, end);
    return from < until ? [{ ...span, from, until }] : [];
  });
}

/** How many windows of one reason were left out. */
export interface SkippedWindows {
  reason: WindowSkipReason;
  count: number;
}

/** Windows to evaluate, and how many of those asked for were left out, and why. */
export interface WindowPlan {
  windows: VersionedWindow[];
  skipped: SkippedWindows[];
  isTruncated: boolean;
}

/** The span in force at an instant (the first one before it, else the last one). */
function spanAt(spans: readonly VersionSpan[], instant: number): VersionSpan {
  return spans.find((span) => instant >= span.from && instant < span.until) ?? spans.at(-1)!;
}

function skippedInRange(
  spans: readonly VersionSpan[],
  life: ControlLife,
  range: TimeWindow,
  calendar: Calendar,
): SkippedWindows[] {
  const skipped: SkippedWindows[] = [];
  if (life.start && range.start < life.start) {
    // Every window overlapping the range that starts before the start date, the partial first window included.
    const part = { start: range.start, end: new Date(Math.min(range.end.getTime(), life.start.getTime())) };
    const count = countWindowsOverlapping(spanAt(spans, life.start.getTime() - 1).period, part, calendar);
    if (count > 0) skipped.push({ reason: "before_start", count });
  }
  if (life.end && range.end > life.end) {
    const period = spanAt(spans, life.end.getTime() - 1).period;
    // The first window that ends after the end date; windows from there on that overlap the range are left out,
    // except those already counted as starting before the start date.
    const last = windowContaining(period, new Date(life.end.getTime() - 1), calendar);
    const firstAfter = last.end > life.end ? last.start : last.end;
    const floors = [firstAfter.getTime(), range.start.getTime()];
    if (life.start) floors.push(firstWindowStartAtOrAfter(period, life.start, calendar).getTime());
    const count = countWindowsOverlapping(period, { start: new Date(Math.max(...floors)), end: range.end }, calendar);
    if (count > 0) skipped.push({ reason: "after_end", count });
  }
  return skipped;
}

/**
 * The one place windows are planned for evaluation, for every trigger: each window overlapping `range` (or, without
 * one, the latest closed window) in the period of the version that decides it, only whole windows inside the
 * control's life, at most `limit`; and how many were left out because they start before the start date or end after
 * the end date.
 */
export function planWindows(input: {
  spans: readonly VersionSpan[];
  life: ControlLife;
  calendar: Calendar;
  range: TimeWindow | null;
  now: Date;
  limit: number;
}): WindowPlan {
  const { spans, life, calendar, range, now } = input;
  const within = spansWithinLife(spans, life);
  if (!range) {
    const latest = latestClosedVersionedWindow(within, now, calendar);
    if (latest) return { windows: [latest], skipped: [], isTruncated: false };
    const unbounded = latestClosedVersionedWindow(spans, now, calendar);
    const reason = unbounded ? windowSkipReason(unbounded, life) : null;
    return { windows: [], skipped: reason ? [{ reason, count: 1 }] : [], isTruncated: false };
  }
  const { windows, isTruncated } = versionedWindowsOverlapping(within, range, calendar, input.limit);
  return { windows, skipped: skippedInRange(spans, life, range, calendar), isTruncated };
}

/** The windows that closed in [from, until) inside the control's life, oldest first, at most `limit`. */
export function planClosedWindowsSince(input: {
  spans: readonly VersionSpan[];
  life: ControlLife;
  calendar: Calendar;
  from: Date;
  until: Date;
  limit: number;
}): VersionedWindow[] {
  const within = spansWithinLife(input.spans, input.life);
  return versionedClosedWindowsSince(within, input.from, input.until, input.calendar, input.limit);
}

/** Adds up skipped windows by reason (a catalog run sums its controls'). */
export function sumSkipped(lists: readonly SkippedWindows[][]): SkippedWindows[] {
  const totals = new Map<WindowSkipReason, number>();
  for (const item of lists.flat()) totals.set(item.reason, (totals.get(item.reason) ?? 0) + item.count);
  return [...totals].map(([reason, count]) => ({ reason, count }));
}
