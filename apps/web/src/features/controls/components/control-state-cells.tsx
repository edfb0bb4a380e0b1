import type { ControlState } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { formatDateTime, formatPercent, formatTimeAgo } from "@/lib/format.ts";

const RESULT_LABELS = { pass: "Pass", fail: "Fail", not_applicable: "N/A" } as const;
const RESULT_TONES = { pass: "success", fail: "danger", not_applicable: "neutral" } as const;
const RUN_LABELS = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  error: "Error",
  cancelled: "Cancelled",
} as const;
const RUN_TONES = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  error: "warning",
  cancelled: "neutral",
} as const;

/**
 * A stale control: a labelled badge with a clock (not colour alone) and how long ago it was last evaluated, so
 * "passing" is never mistaken for "not checked for three weeks".
 */
export function StaleState({ state }: { state: ControlState }) {
  const since = state.staleAt ? `Stale since ${formatDateTime(state.staleAt)}` : "Stale";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" title={since}>
      <Badge tone="warning">
        <span aria-hidden="true">⏱&nbsp;</span>Stale
      </Badge>
      <span className="text-xs text-amber-800 dark:text-amber-300">
        {state.lastEvaluatedAt ? `last evaluated ${formatTimeAgo(state.lastEvaluatedAt)}` : "never evaluated"}
      </span>
    </span>
  );
}

/** The control's state: stale, or its latest point's verdict and value, and how many scopes fail now. */
export function CurrentStateCell({ state }: { state: ControlState | undefined }) {
  if (state?.state === "stale") return <StaleState state={state} />;
  if (!state?.lastPoint) return <span className="text-zinc-400">Not evaluated</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={RESULT_TONES[state.lastPoint.result]}>{RESULT_LABELS[state.lastPoint.result]}</Badge>
      <span className="tabular-nums">{formatPercent(state.lastPoint.value)}</span>
      {state.failingScopes > 1 && (
        <span className="text-xs text-red-700 dark:text-red-300">{state.failingScopes} scopes failing</span>
      )}
    </span>
  );
}

export function LastRunCell({ state }: { state: ControlState | undefined }) {
  if (!state?.lastRun) return <span className="text-zinc-400">Never</span>;
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={RUN_TONES[state.lastRun.status]}>{RUN_LABELS[state.lastRun.status]}</Badge>
      <span className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
        {formatDateTime(state.lastRun.finishedAt ?? state.lastRun.createdAt)}
      </span>
    </span>
  );
}

/** When the scheduler runs the control next; only finalized controls of finalized catalogs are scheduled. */
export function NextRunCell({ state }: { state: ControlState | undefined }) {
  if (!state?.nextRun) return <span className="text-zinc-400">Not scheduled</span>;
  const isOverdue = Date.parse(state.nextRun.dueAt) <= Date.now();
  return <span className="whitespace-nowrap">{isOverdue ? "Due now" : formatDateTime(state.nextRun.dueAt)}</span>;
}
