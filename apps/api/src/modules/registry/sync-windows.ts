import type { Period } from "@status/shared";
import { windowsOverlapping } from "../../domain/windows.ts";

/** One period asked of the registry, and the controls whose window it is. */
export interface SyncWindow {
  start: Date;
  end: Date;
  controlIds: Set<string>;
}

/**
 * The distinct windows of the controls' periods that closed within (from, to] and by `now`, oldest first, at most
 * `limit`. `coveredThrough` is how far they reach: the cursor a scheduled sync may move to.
 */
export function windowsToSync(input: {
  controls: { id: string; period: Period; startDate: string | null }[];
  catalogStart: string;
  timeZone: string;
  from: Date;
  to: Date;
  now: Date;
  limit: number;
}): { windows: SyncWindow[]; isTruncated: boolean; coveredThrough: Date } {
  const until = new Date(Math.min(input.to.getTime(), input.now.getTime()));
  const byKey = new Map<string, SyncWindow>();
  for (const control of input.controls) {
    const start = new Date(control.startDate ?? input.catalogStart);
    // Counted from the later of `from` and the control's start, so a range reaching far back costs nothing.
    const rangeStart = new Date(Math.max(input.from.getTime(), start.getTime()));
    if (rangeStart >= until) continue;
    const overlapping = windowsOverlapping(
      control.period,
      { start: rangeStart, end: until },
      input.timeZone,
      input.limit + 1,
    ).windows;
    for (const window of overlapping) {
      if (window.end > until || window.end <= input.from || window.end <= start) continue;
      const key = `${window.start.getTime()}|${window.end.getTime()}`;
      const known = byKey.get(key) ?? { start: window.start, end: window.end, controlIds: new Set<string>() };
      known.controlIds.add(control.id);
      byKey.set(key, known);
    }
  }
  const sorted = [...byKey.values()].sort(
    (a, b) => a.end.getTime() - b.end.getTime() || a.start.getTime() - b.start.getTime(),
  );
  const isTruncated = sorted.length > input.limit;
  const windows = sorted.slice(0, input.limit);
  // A truncated pass covers only up to its last window's end, so the next pass starts there.
  const coveredThrough = isTruncated ? windows[windows.length - 1]!.end : until;
  return { windows, isTruncated, coveredThrough };
}
