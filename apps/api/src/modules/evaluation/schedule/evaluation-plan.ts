import type { Period, ScopeSetSnapshot } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import type { VersionSpan } from "../../../domain/version-windows.ts";
import { getVersionsOfControls, type ControlVersionRow } from "../../controls/index.ts";
import { canonicalScopeKey, scopesToEvaluate } from "../../scopes/index.ts";

/** One scope a control is evaluated for: the values, their canonical key and the scope set (if it still exists). */
export interface PlannedScope {
  scopeSetId: string | null;
  scope: Record<string, unknown>;
  scopeKey: string;
}

/**
 * What decides which runs a control gets: the spans of time its versions decide (each with its own period), and the
 * scopes each version evaluates. A finalized control's windows are evaluated in the period and for the scope sets of
 * the version that decides them — a backfill of a window before a change uses the version before, scope sets
 * removed since included. A draft has one span over all time, with its current period and scope sets.
 */
export interface EvaluationPlan {
  spans: VersionSpan[];
  scopesFor(version: number | null): PlannedScope[];
}

const EMPTY_SCOPE: PlannedScope = { scopeSetId: null, scope: {}, scopeKey: "{}" };

function scopesOfSnapshot(snapshot: ScopeSetSnapshot[], existingIds: Set<string>): PlannedScope[] {
  if (snapshot.length === 0) return [EMPTY_SCOPE];
  return snapshot.map((set) => ({
    // A run keeps its scope values either way; it links to the set only while the set exists.
    scopeSetId: existingIds.has(set.id) ? set.id : null,
    scope: set.values,
    scopeKey: canonicalScopeKey(set.values),
  }));
}

/** `known`: the control's versions when the caller read them already (a finalized control's), spared a query. */
export async function evaluationPlanOf(
  db: Queryable,
  control: { id: string; period: Period; status: string },
  known?: { versions: ControlVersionRow[]; spans: VersionSpan[] },
): Promise<EvaluationPlan> {
  const [current, versioned] = await Promise.all([
    scopesToEvaluate(db, control.id),
    control.status === "finalized" && !known ? getVersionsOfControls(db, [control.id]) : undefined,
  ]);
  const history = control.status === "finalized" && known?.versions.length ? known : versioned?.get(control.id);
  if (!history) {
    return {
      spans: [{ version: null, period: control.period, from: -Infinity, until: Infinity }],
      scopesFor: () => current,
    };
  }
  const existingIds = new Set(current.flatMap((scope) => (scope.scopeSetId ? [scope.scopeSetId] : [])));
  const byVersion = new Map(
    history.versions.map((version) => [version.version, scopesOfSnapshot(version.scopeSets, existingIds)]),
  );
  return { spans: history.spans, scopesFor: (version) => byVersion.get(version ?? 0) ?? [] };
}
