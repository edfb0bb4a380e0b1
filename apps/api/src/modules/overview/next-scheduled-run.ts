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
  const scopeCount = Math.max(1, state.scopeSetCount);
  const hasUnscheduledScope = state.earliestCursor === null || state.cursorCount < scopeCount;
  const calendar = { timeZone: state.timeZone, firstDayOfWeek: state.firstDayOfWeek };
  const from = new Date(hasUnscheduledScope ? state.startDate : state.earliestCursor!);
  const window = windowContaining(state.period, firstWindowStartAtOrAfter(state.period, from, calendar), calendar);
  if (state.endDate && window.end > new Date(state.endDate)) return null;
  return {
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    dueAt: window.end.toISOString(),
  };
}
