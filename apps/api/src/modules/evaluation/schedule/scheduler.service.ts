import { withTransaction } from "../../../db/database.ts";
import type { AppDeps } from "../../../deps.ts";
import { listWindowStartsWithPoints } from "../../points/index.ts";
import { evaluationPlanOf, type EvaluationPlan } from "./evaluation-plan.ts";
import { insertRunBatch, type NewRun } from "../runs/runs.service.ts";
import { planClosedWindowsSince } from "../../../domain/control-life.ts";
import {
  findScheduleCursors,
  listSchedulableControls,
  saveScheduleCursor,
  type SchedulableControl,
} from "./scheduler.repository.ts";

/**
 * Schedules every closed window of every finalized control that has not been scheduled yet: windows that closed
 * since the last tick, and — after downtime or for a new scope set — all the missed ones, oldest first, at most
 * `maxCatchUpWindows` per control and scope per tick, each in the period and for the scope sets of the control
 * version that decides it. Windows that already have a point are skipped. Safe to run in several processes at once:
 * scheduled runs are unique per window.
 */
export async function scheduleDueWindows(deps: AppDeps): Promise<{ runIds: string[] }> {
  const runIds: string[] = [];
  for (const control of await listSchedulableControls(deps.db)) {
    runIds.push(...(await scheduleControl(deps, control)));
  }
  if (runIds.length > 0) await deps.runQueue.enqueue(runIds);
  return { runIds };
}

async function scheduleControl(deps: AppDeps, control: SchedulableControl): Promise<string[]> {
  const now = deps.now();
  const life = { start: new Date(control.startDate), end: control.endDate ? new Date(control.endDate) : null };
  const calendar = { timeZone: control.timeZone, firstDayOfWeek: control.firstDayOfWeek };
  const cursors = await findScheduleCursors(deps.db, control.id);
  const planned: NewRun[] = [];
  const advances: { scopeKey: string; through: string }[] = [];
  const plan = await evaluationPlanOf(deps.db, { ...control, status: "finalized" });
  for (const [scopeKey, spans] of spansPerScope(plan)) {
    const from = new Date(cursors.get(scopeKey) ?? control.startDate);
    // Only whole windows inside the control's life: the partial window its start date falls in is never owed.
    const windows = planClosedWindowsSince({
      spans,
      life,
      calendar,
      from,
      until: now,
      limit: deps.config.engine.scheduler.maxCatchUpWindows,
    });
    if (windows.length === 0) continue;
    const first = windows[0]!.start.toISOString();
    const last = windows.at(-1)!.end.toISOString();
    const withPoints = await listWindowStartsWithPoints(deps, {
      controlId: control.id,
      scopeKey,
      from: first,
      to: last,
    });
    for (const window of windows.filter((candidate) => !withPoints.has(candidate.start.getTime()))) {
      const scope = plan.scopesFor(window.version).find((candidate) => candidate.scopeKey === scopeKey)!;
      planned.push({
        controlId: control.id,
        scopeSetId: scope.scopeSetId,
        scope: scope.scope,
        scopeKey,
        windowStart: window.start.toISOString(),
        windowEnd: window.end.toISOString(),
        isProvisional: false,
      });
    }
    advances.push({ scopeKey, through: last });
  }
  if (advances.length === 0) return [];
  return withTransaction(deps.db, async (tx) => {
    let ids: string[] = [];
    if (planned.length > 0) {
      const batch = await insertRunBatch(tx, deps, {
        catalogId: control.catalogId,
        controlId: control.id,
        trigger: "schedule",
        requestedBy: null,
        runs: planned,
      });
      ids = batch.runIds;
    }
    for (const advance of advances) await saveScheduleCursor(tx, control.id, advance.scopeKey, advance.through);
    return ids;
  });
}

/**
 * Each scope the control's versions evaluate, with the spans of the versions that evaluate it: a scope set added by a
 * version is scheduled from that version's first window, and one removed stops where its last version ends.
 */
function spansPerScope(plan: EvaluationPlan): Map<string, EvaluationPlan["spans"]> {
  const result = new Map<string, EvaluationPlan["spans"]>();
  for (const span of plan.spans) {
    for (const scope of plan.scopesFor(span.version))
      result.set(scope.scopeKey, [...(result.get(scope.scopeKey) ?? []), span]);
  }
  return result;
}
