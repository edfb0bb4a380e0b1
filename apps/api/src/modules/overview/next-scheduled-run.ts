import { firstWindowStartAtOrAfter, windowContaining } from "../../domain/windows.ts";
import type { ScheduleState } from "./overview.repository.ts";

export interface NextScheduledRun {
  windowStart: string;
  windowEnd: string;
  dueAt: string;
}

/**
 * When the scheduler will next run a control: it schedules each window once the window has closed, from its cursor
 * (the end of the last window it scheduled), so the next run is due at the end of the window that starts at the
 * earliest cursor. A scope without a cursor yet (a new control or scope set) is scheduled from the control's first
 * whole window (the one starting at or after its start date). None once that window would end after the control's
 * end: the scheduler never runs a window outside the control's life.
 */
export function nextScheduledRun(state: ScheduleState): NextScheduledRun | null {
  return nextRunFrom(state, scheduledFrom(state));
}

/** Where the scheduler stands for a control: the earliest cursor, or its start while a scope has none yet. */
function scheduledFrom(state: ScheduleState): string {
  const scopeCount = Math.max(1, state.scopeSetCount);
  const hasUnscheduledScope = state.earliestCursor === null || state.cursorCount < scopeCount;
  return hasUnscheduledScope ? state.startDate : state.earliestCursor!;
}

/** The next run of a control whose schedule stands at `scheduledFromIso` (the earliest cursor, or its start). */
export function nextRunFrom(
  state: Pick<ScheduleState, "period" | "timeZone" | "firstDayOfWeek" | "endDate">,
  scheduledFromIso: string,
): NextScheduledRun | null {
  const calendar = { timeZone: state.timeZone, firstDayOfWeek: state.firstDayOfWeek };
  const from = new Date(scheduledFromIso);
  const window = windowContaining(state.period, firstWindowStartAtOrAfter(state.period, from, calendar), calendar);
  if (state.endDate && window.end > new Date(state.endDate)) return null;
  return {
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    dueAt: window.end.toISOString(),
  };
}

/**
 * nextScheduledRun for many controls at once. Its answer depends only on the period, the calendar, where the
 * scheduler stands and the end date, which most controls share (a scheduler tick moves every cursor of a period to
 * the same window end): the calendar arithmetic (Luxon, the most of the overview's CPU when done for each of 500
 * controls) runs once per distinct input. Make one per request; the answers it hands out are shared, not copied.
 */
export function createNextScheduledRuns(): (state: ScheduleState) => NextScheduledRun | null {
  const known = new Map<string, NextScheduledRun | null>();
  return (state) => {
    const from = scheduledFrom(state);
    const key = `${state.period}|${state.timeZone}|${state.firstDayOfWeek}|${from}|${state.endDate ?? ""}`;
    if (known.has(key)) return known.get(key)!;
    const next = nextRunFrom(state, from);
    known.set(key, next);
    return next;
  };
}
