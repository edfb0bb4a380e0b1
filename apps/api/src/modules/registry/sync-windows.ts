import type { Period } from "@status/shared";
import { lifeOf, windowSkipReason } from "../../domain/control-life.ts";
import { windowsOverlapping, type Calendar } from "../../domain/windows.ts";

/** One period asked of the registry, and the controls whose window it is. */
export interface SyncWindow {
  start: Date;
  end: Date;
  controlIds: Set<string>;
}

/**
 * The distinct windows of the controls' periods that closed within (from, to] and by `now`, oldest first, at most
 * `limit`: only whole windows inside each control's life (as for every other trigger, the partial window its start
 * date falls in is not asked for). `coveredThrough` is how far they reach: the cursor a scheduled sync may move to.
 */
export function windowsToSync(input: {
  controls: { id: string; period: Period; startDate: string | null; endDate: string | null }[];
  catalogStart: string;
  catalogEnd: string | null;
  timeZone: Calendar;
  from: Date;
  to: Date;
  now: Date;
  limit: number;
}): { windows: SyncWindow[]; isTruncated: boolean; coveredThrough: Date } {
  const until = new Date(Math.min(input.to.getTime(), input.now.getTime()));
  const byKey = new Map<string, SyncWindow>();
  const catalogLife = { startDate: input.catalogStart, endDate: input.catalogEnd };
  for (const control of input.controls) {
    const life = lifeOf(control, catalogLife);
    const start = life.start!;
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
      if (window.end > until || window.end <= input.from || windowSkipReason(window, life)) continue;
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
