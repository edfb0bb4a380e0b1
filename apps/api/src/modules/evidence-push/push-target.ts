import type { EvidenceSubmissionBody, Period } from "@status/shared";
import { lifeOf, windowSkipReason } from "../../domain/control-life.ts";
import { spanOfWindow } from "../../domain/version-windows.ts";
import { catalogCalendar, windowContaining, type Calendar, type TimeWindow } from "../../domain/windows.ts";
import { AppError } from "../../errors.ts";
import type { ControlWithHistory } from "../controls/index.ts";
import { termsForWindow, windowOutsideLife, type EvaluationPlan, type NewRun } from "../evaluation/index.ts";
import { canonicalScopeKey } from "../scopes/index.ts";

/** The window and scope a submission is for, with the terms of the version that decides the window. */
export interface PushTarget {
  run: NewRun;
  window: TimeWindow;
  version: number | null;
  versionDigest: string | null;
  threshold: number;
}

/**
 * The window each period's submissions fell in last, kept with a cached read of the control (push-control-cache.ts):
 * luxon's time-zone arithmetic was the costliest step of resolving a submission, and a burst falls in one window.
 * The windows of a period partition time, so a window that contains the instant is the window containing it.
 */
export type WindowMemo = Map<Period, TimeWindow>;

function windowContainingMemo(memo: WindowMemo, period: Period, instant: Date, calendar: Calendar): TimeWindow {
  const known = memo.get(period);
  const time = instant.getTime();
  if (known && time >= known.start.getTime() && time < known.end.getTime()) return known;
  const window = windowContaining(period, instant, calendar);
  memo.set(period, window);
  return window;
}

function unprocessable(code: "scope_required" | "scope_mismatch" | "window_not_of_period", detail: string): AppError {
  const path = code === "window_not_of_period" ? "body.window" : "body.scope";
  return new AppError(422, code, "Unprocessable submission", detail, [{ path, message: detail }]);
}

/**
 * The window of the control's period (the period of the version deciding it, in the catalog's time zone) that the
 * submission names: `window` exactly, the one containing `at`, or the one containing `now`.
 */
function windowOf(context: ControlWithHistory, body: EvidenceSubmissionBody, now: Date, memo: WindowMemo): TimeWindow {
  const { control, catalog, spans } = context;
  const calendar = catalogCalendar(catalog);
  const instant = body.window ? new Date(body.window.from) : body.at ? new Date(body.at) : now;
  const time = instant.getTime();
  const span = spans.find((candidate) => time >= candidate.from && time < candidate.until);
  const period = control.status === "finalized" && span ? span.period : control.period;
  const window = windowContainingMemo(memo, period, instant, calendar);
  if (body.window && window.end.getTime() !== Date.parse(body.window.to)) {
    throw unprocessable(
      "window_not_of_period",
      `The window is not one of the control's ${period.toLowerCase()} windows; the one starting at ${body.window.from} would be ${window.start.toISOString()}–${window.end.toISOString()}`,
    );
  }
  if (body.window && window.start.getTime() !== time) {
    throw unprocessable(
      "window_not_of_period",
      `The window does not start on a ${period.toLowerCase()} boundary; the window containing ${body.window.from} is ${window.start.toISOString()}–${window.end.toISOString()}`,
    );
  }
  if (control.status === "finalized" && spans.length > 0 && !spanOfWindow(spans, window)) {
    throw unprocessable("window_not_of_period", "No version of the control holds this window whole");
  }
  return window;
}

/**
 * Resolves what a submission is for: its window (inside the control's life, 409 `window_outside_life` otherwise)
 * and its scope — required when the control is evaluated for scope sets (422 `scope_required`), and then equal to
 * one of the sets of the version deciding the window (422 `scope_mismatch`); a control without scope sets takes none.
 */
export function resolvePushTarget(
  context: ControlWithHistory,
  plan: EvaluationPlan,
  body: EvidenceSubmissionBody,
  now: Date,
  memo: WindowMemo = new Map(),
): PushTarget {
  const { control, catalog } = context;
  const window = windowOf(context, body, now, memo);
  const life = lifeOf(control, catalog);
  const reason = windowSkipReason(window, life);
  if (reason) throw windowOutsideLife(reason, life);
  const terms = termsForWindow(context, {
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
  });
  if ("problem" in terms) throw unprocessable("window_not_of_period", terms.problem);
  const scopes = plan.scopesFor(terms.version);
  const hasScopeSets = scopes.some((scope) => scope.scopeKey !== "{}");
  const scopeKey = body.scope ? canonicalScopeKey(body.scope) : "{}";
  if (hasScopeSets && !body.scope) {
    throw unprocessable(
      "scope_required",
      "The control is evaluated per scope set: give the scope, equal to one of them",
    );
  }
  const scope = scopes.find((candidate) => candidate.scopeKey === scopeKey);
  if (!scope) {
    throw unprocessable(
      "scope_mismatch",
      hasScopeSets
        ? `The scope ${scopeKey} is none of the control's scope sets for this window`
        : "The control has no scope sets: send no scope",
    );
  }
  return {
    run: {
      controlId: control.id,
      scopeSetId: scope.scopeSetId,
      scope: scope.scope,
      scopeKey,
      windowStart: window.start.toISOString(),
      windowEnd: window.end.toISOString(),
      isProvisional: window.end > now,
    },
    window,
    version: terms.version,
    versionDigest: terms.versionDigest,
    threshold: terms.threshold,
  };
}
