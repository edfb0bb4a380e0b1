import type { ControlState } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { ControlStateBadge } from "@/components/ui/control-state-badge.tsx";
import { formatDateTime, formatPercent, formatTimeAgo } from "@/lib/format.ts";
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
export function StaleState({ state, timeZone }: { state: ControlState; timeZone?: string | undefined }) {
  const since = state.staleAt ? `Stale since ${formatDateTime(state.staleAt, timeZone)}` : "Stale";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" title={since}>
      <ControlStateBadge state="stale" />
      <span className="text-xs text-amber-800 dark:text-amber-300">
        {state.lastEvaluatedAt ? `last evaluated ${formatTimeAgo(state.lastEvaluatedAt)}` : "never evaluated"}
      </span>
    </span>
  );
}

/**
 * The control's one state (passing, failing, stale, not yet evaluated, not applicable) first; then, secondary, its
 * latest point's value and how many scopes fail now.
 */
export function CurrentStateCell({
  state,
  timeZone,
}: {
  state: ControlState | undefined;
  timeZone?: string | undefined;
}) {
  if (!state) return <ControlStateBadge state="not_evaluated" />;
  if (state.state === "stale") return <StaleState state={state} timeZone={timeZone} />;
  if (!state.lastPoint) return <ControlStateBadge state={state.state} />;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <ControlStateBadge state={state.state} />
      <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {formatPercent(state.lastPoint.value)}
      </span>
      {state.failingScopes > 1 && (
        <span className="text-xs text-red-700 dark:text-red-300">{state.failingScopes} scopes failing</span>
      )}
    </span>
  );
}

/** The latest run: a technical state, secondary to the control's state. */
export function LastRunCell({ state, timeZone }: { state: ControlState | undefined; timeZone?: string | undefined }) {
  if (!state?.lastRun) return <span className="text-zinc-400">Never</span>;
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={RUN_TONES[state.lastRun.status]}>{RUN_LABELS[state.lastRun.status]}</Badge>
      <span className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
        {formatDateTime(state.lastRun.finishedAt ?? state.lastRun.createdAt, timeZone)}
      </span>
    </span>
  );
}

/** When the scheduler runs the control next; only finalized controls of finalized catalogs are scheduled. */
export function NextRunCell({ state, timeZone }: { state: ControlState | undefined; timeZone?: string | undefined }) {
  if (!state?.nextRun) return <span className="text-zinc-400">Not scheduled</span>;
  const isOverdue = Date.parse(state.nextRun.dueAt) <= Date.now();
  return (
    <span className="whitespace-nowrap">{isOverdue ? "Due now" : formatDateTime(state.nextRun.dueAt, timeZone)}</span>
  );
}
