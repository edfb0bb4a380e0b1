import { describe, expect, it } from "vitest";
import { createNextScheduledRuns, nextScheduledRun } from "./next-scheduled-run.ts";
import type { ScheduleState } from "./overview.repository.ts";

function state(overrides: Partial<ScheduleState> = {}): ScheduleState {
  return {
    controlId: "c",
    controlName: "Backups",
    catalogId: "k",
    catalogName: "ISO",
    period: "DAILY",
    timeZone: "Europe/Madrid",
    firstDayOfWeek: 1,
    startDate: "2025-03-01T00:00:00+01:00",
    endDate: null,
    earliestCursor: null,
    cursorCount: 0,
    scopeSetCount: 0,
    ...overrides,
  };
}

describe("the next scheduled run of a control", () => {
  it("is the first window from the start date before the scheduler's first tick", () => {
    expect(nextScheduledRun(state())).toEqual({
      windowStart: "2025-02-28T23:00:00.000Z",
      windowEnd: "2025-03-01T23:00:00.000Z",
      dueAt: "2025-03-01T23:00:00.000Z",
    });
  });

  it("is due at the end of the window that starts at the earliest cursor, in the catalog's zone (DST included)", () => {
    const next = nextScheduledRun(
      state({ period: "MONTHLY", earliestCursor: "2025-03-01T00:00:00+01:00", cursorCount: 2, scopeSetCount: 2 }),
    );
    expect(next).toEqual({
      windowStart: "2025-02-28T23:00:00.000Z",
      windowEnd: "2025-03-31T22:00:00.000Z",
      dueAt: "2025-03-31T22:00:00.000Z",
    });
  });

  it("starts over from the start date while a scope set has no cursor yet", () => {
    const next = nextScheduledRun(
      state({ earliestCursor: "2025-06-01T00:00:00+02:00", cursorCount: 1, scopeSetCount: 2 }),
    );
    expect(next?.windowStart).toBe("2025-02-28T23:00:00.000Z");
  });

  it("is none once the next window would begin at or after the control's end", () => {
    expect(
      nextScheduledRun(
        state({ earliestCursor: "2025-04-01T00:00:00+02:00", cursorCount: 1, endDate: "2025-04-01T00:00:00+02:00" }),
      ),
    ).toBeNull();
  });
});

describe("the next scheduled runs of many controls", () => {
  it("answers what nextScheduledRun answers, one answer for the controls that share a schedule", () => {
    const states = [
      state(),
      state({ controlId: "d" }),
      state({ controlId: "e", period: "WEEKLY", firstDayOfWeek: 7 }),
      state({ controlId: "f", period: "WEEKLY", firstDayOfWeek: 3 }),
      state({ controlId: "g", timeZone: "America/St_Johns" }),
      state({ controlId: "h", earliestCursor: "2025-03-10T23:00:00.000Z", cursorCount: 1 }),
      // A scope without a cursor: scheduled from the start, as the first control.
      state({ controlId: "i", earliestCursor: "2025-03-10T23:00:00.000Z", cursorCount: 1, scopeSetCount: 2 }),
      state({ controlId: "j", endDate: "2025-03-01T12:00:00.000Z" }),
      state({ controlId: "k", period: "MONTHLY", startDate: "2025-03-30T01:30:00.000Z" }),
    ];
    const nextScheduledRuns = createNextScheduledRuns();
    const answers = states.map((one) => nextScheduledRuns(one));
    expect(answers).toEqual(states.map((one) => nextScheduledRun(one)));
    expect(answers[1]).toBe(answers[0]);
    expect(answers[6]).toBe(answers[0]);
    expect(answers[7]).toBeNull();
    expect(new Set(answers).size).toBe(7);
  });
});
