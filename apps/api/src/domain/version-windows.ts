import type { Period } from "@status/shared";
import { closedWindowsSince, windowContaining, windowsOverlapping, type Calendar, type TimeWindow } from "./windows.ts";

/**
 * The part of time one control version decides: windows of its period that start at or after `from` and end at or
 * before `until`. `from` -Infinity: from the control's first window; `until` +Infinity: the current version. A draft
 * is one span with no version, over all time.
 */
export interface VersionSpan {
  version: number | null;
  period: Period;
  from: number;
  until: number;
}

/** A window and the version it is evaluated under. */
export interface VersionedWindow extends TimeWindow {
  version: number | null;
}

/**
 * The spans of a control's versions, in version order: each lasts until the next one takes effect. A version whose
 * successor takes effect at or before its own start decides no window (it was superseded before it took effect).
 */
export function versionSpans(versions: { version: number; period: Period; effectiveFrom: string | null }[]) {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const startOf = (effectiveFrom: string | null) => (effectiveFrom === null ? -Infinity : Date.parse(effectiveFrom));
  return sorted.map((version, index): VersionSpan => ({
    version: version.version,
    period: version.period,
    from: startOf(version.effectiveFrom),
    until: index + 1 < sorted.length ? startOf(sorted[index + 1]!.effectiveFrom) : Infinity,
  }));
}

/** Whether a window belongs to the span: whole windows only, so a change of period never splits one. */
export function isWindowInSpan(window: TimeWindow, span: VersionSpan): boolean {
  return window.start.getTime() >= span.from && window.end.getTime() <= span.until;
}

/** The span a window belongs to (by its start), if the window lies wholly inside it. */
export function spanOfWindow(spans: readonly VersionSpan[], window: TimeWindow): VersionSpan | undefined {
  const start = window.start.getTime();
  const span = spans.find((candidate) => start >= candidate.from && start < candidate.until);
  return span && isWindowInSpan(window, span) ? span : undefined;
}

/** Clips a range to a span; undefined when they do not meet. */
function clip(range: TimeWindow, span: VersionSpan): TimeWindow | undefined {
  const start = Math.max(range.start.getTime(), span.from);
  const end = Math.min(range.end.getTime(), span.until);
  return start < end ? { start: new Date(start), end: new Date(end) } : undefined;
}

/**
 * Every window overlapping [start, end), each in the period of the version that decides it, oldest first, at most
 * `limit` (plus whether more existed). Within the first span this is exactly windowsOverlapping; later spans begin on
 * their own period's boundaries.
 */
export function versionedWindowsOverlapping(
  spans: readonly VersionSpan[],
  range: TimeWindow,
  calendar: Calendar,
  limit: number,
): { windows: VersionedWindow[]; isTruncated: boolean } {
  const windows: VersionedWindow[] = [];
  for (const span of spans) {
    const part = clip(range, span);
    if (!part) continue;
    const found = windowsOverlapping(span.period, part, calendar, limit - windows.length + 1).windows;
    for (const window of found.filter((candidate) => isWindowInSpan(candidate, span))) {
      if (windows.length === limit) return { windows, isTruncated: true };
      windows.push({ ...window, version: span.version });
    }
  }
  return { windows, isTruncated: false };
}

/** The windows of every span that closed in [from, now), oldest first, at most `limit`: what the scheduler owes. */
export function versionedClosedWindowsSince(
  spans: readonly VersionSpan[],
  from: Date,
  now: Date,
  calendar: Calendar,
  limit: number,
): VersionedWindow[] {
  const windows: VersionedWindow[] = [];
  for (const span of spans) {
    const part = clip({ start: from, end: now }, span);
    if (!part || windows.length >= limit) continue;
    const found = closedWindowsSince(span.period, part.start, now, calendar, limit - windows.length + 1);
    for (const window of found.filter((candidate) => isWindowInSpan(candidate, span))) {
      if (windows.length === limit) break;
      windows.push({ ...window, version: span.version });
    }
  }
  return windows;
}

/** The latest window that has closed by `now`, in the span that decides it. */
export function latestClosedVersionedWindow(
  spans: readonly VersionSpan[],
  now: Date,
  calendar: Calendar,
): VersionedWindow | undefined {
  for (const span of [...spans].reverse()) {
    const closedUntil = Math.min(windowContaining(span.period, now, calendar).start.getTime(), span.until);
    if (closedUntil <= span.from) continue;
    const window = windowContaining(span.period, new Date(closedUntil - 1), calendar);
    if (isWindowInSpan(window, span)) return { ...window, version: span.version };
    // The span's last whole window ends before `closedUntil` (the next version changed the period): step back.
    const previous = windowContaining(span.period, new Date(window.start.getTime() - 1), calendar);
    if (isWindowInSpan(previous, span)) return { ...previous, version: span.version };
  }
  return undefined;
}

/**
 * Where a new version takes effect: the next window, in its period, that has not been evaluated — the first window
 * starting at or after `evaluatedThrough` (the end of the newest window with a point or being evaluated, over every
 * scope set) and never before the previous version's start. Null: nothing was ever evaluated, so it decides every
 * window from the control's first.
 */
export function nextUnevaluatedWindowStart(input: {
  period: Period;
  evaluatedThrough: string | null;
  previousEffectiveFrom: string | null;
  /** The catalog's calendar (a bare time zone: weeks from Monday). */
  timeZone: Calendar;
}): string | null {
  const candidates = [input.evaluatedThrough, input.previousEffectiveFrom].filter(
    (instant): instant is string => instant !== null,
  );
  if (candidates.length === 0) return null;
  const boundary = new Date(Math.max(...candidates.map((instant) => Date.parse(instant))));
  const window = windowContaining(input.period, boundary, input.timeZone);
  return (window.start.getTime() === boundary.getTime() ? window.start : window.end).toISOString();
}
