import type { Period } from "@status/shared";
import { spanOfWindow } from "../../../domain/version-windows.ts";
import type { ControlWithHistory } from "../../controls/index.ts";
import type { ClaimedRun } from "../runs/runs.repository.ts";

/** What a run is evaluated with: the mashup, its inputs, the period and threshold, and the version they come from. */
export interface EvaluationTerms {
  controlId: string;
  /** The control version that decides the run's window; null for a draft (its current fields, no point). */
  version: number | null;
  versionDigest: string | null;
  period: Period;
  threshold: number;
  mashupId: string | null;
  params: Record<string, unknown>;
}

/** What terms are read from: a control (a draft's own fields) and its versions. */
type TermsContext = Pick<ControlWithHistory, "versions" | "spans"> & {
  control: Pick<ControlWithHistory["control"], "id" | "status" | "period" | "threshold" | "mashupId" | "params">;
};

/**
 * The terms of the control version that decides the run's window (by its start), read at claim time; a draft's are
 * its current fields. A window that no version holds whole (its period changed after the run was planned) has none.
 */
export function termsForRun(context: TermsContext, run: ClaimedRun): EvaluationTerms | { problem: string } {
  return termsForWindow(context, { windowStart: run.windowStart, windowEnd: run.windowEnd });
}

/** The terms of the control version that decides a window (by its start); a draft's are its current fields. */
export function termsForWindow(
  context: TermsContext,
  run: { windowStart: string; windowEnd: string },
): EvaluationTerms | { problem: string } {
  const { control, versions, spans } = context;
  if (control.status !== "finalized" || versions.length === 0) {
    const { id, period, threshold, mashupId, params } = control;
    return { controlId: id, version: null, versionDigest: null, period, threshold, mashupId, params };
  }
  const span = spanOfWindow(spans, { start: new Date(run.windowStart), end: new Date(run.windowEnd) });
  const version = span && versions.find((candidate) => candidate.version === span.version);
  if (!version) {
    return {
      problem: `No version of the control holds the window ${run.windowStart}–${run.windowEnd} whole (its period changed after the run was planned); run the window again`,
    };
  }
  return {
    controlId: control.id,
    version: version.version,
    versionDigest: version.digest,
    period: version.period,
    threshold: Number(version.threshold),
    mashupId: version.mashupId,
    params: version.params,
  };
}
