import { RunStatusSchema, type RunBatch, type RunStatus } from "@status/shared";
import { useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { ProgressBar } from "@/components/ui/progress-bar.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatCount, formatWindow } from "@/lib/format.ts";
import { runListQuery, useRuns } from "../api/get-runs.ts";
import { runKeys } from "../api/run-keys.ts";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { useRunBatchProgress } from "../hooks/use-run-batch-progress.ts";
import { RUN_STATUS_LABELS, RunStatusBadge } from "./run-labels.tsx";

const COUNT_CLASSES: Record<RunStatus, string> = {
  queued: "text-zinc-700 dark:text-zinc-300",
  running: "text-sky-700 dark:text-sky-300",
  succeeded: "text-emerald-700 dark:text-emerald-400",
  failed: "text-red-700 dark:text-red-400",
  error: "text-amber-700 dark:text-amber-400",
  cancelled: "text-zinc-500 dark:text-zinc-400",
};

function problemCount(batch: RunBatch): number {
  return (batch.counts.failed ?? 0) + (batch.counts.error ?? 0);
}

interface RunBatchProgressProps {
  batchId: string;
  timeZone?: string | undefined;
  onDone?: (batch: RunBatch) => void;
  createEventSource?: EventSourceFactory;
}

/** Live progress of a batch of runs, its counts per status, and why any run failed. Mount with `key={batchId}`. */
export function RunBatchProgress({ batchId, timeZone, onDone, createEventSource }: RunBatchProgressProps) {
  const { batch, isPolling, error } = useRunBatchProgress(batchId, {
    onDone,
    ...(createEventSource ? { createEventSource } : {}),
  });

  if (!batch) {
    if (error) return <Alert title="The run's progress could not be loaded">{error.message}</Alert>;
    return <Spinner label="Starting the run" />;
  }
  const finished = Math.round(batch.progress * batch.runCount);
  const problems = problemCount(batch);
  const summary = batch.isDone
    ? problems > 0
      ? `Done: ${formatCount(problems, "run")} did not succeed`
      : "Done"
    : `Running: ${finished} of ${formatCount(batch.runCount, "run")} finished`;
  return (
    <div className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p role="status" className="flex items-center gap-2 font-medium">
          {!batch.isDone && <Spinner size="sm" />}
          {summary}
        </p>
        {!batch.isDone && (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            {isPolling ? "Checking every second" : "Live"}
          </span>
        )}
      </div>
      <ProgressBar
        value={batch.progress}
        label="Run progress"
        valueText={`${finished} of ${formatCount(batch.runCount, "run")} finished`}
        tone={batch.isDone ? (problems > 0 ? "danger" : "success") : "accent"}
      />
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs tabular-nums" aria-label="Runs by status">
        {RunStatusSchema.options.map((status) => {
          const count = batch.counts[status] ?? 0;
          return (
            <li key={status} className={clsx(count > 0 ? COUNT_CLASSES[status] : "text-zinc-400 dark:text-zinc-600")}>
              {RUN_STATUS_LABELS[status]} {count}
            </li>
          );
        })}
      </ul>
      {problems > 0 && <BatchProblems batch={batch} timeZone={timeZone} />}
    </div>
  );
}

/** The failed runs of a batch with their error text, refreshed as the batch's counts change. */
function BatchProblems({ batch, timeZone }: { batch: RunBatch; timeZone?: string | undefined }) {
  const queryClient = useQueryClient();
  const query = runListQuery({ batchId: batch.id, pageSize: 200, sort: "windowStart" });
  const runsQuery = useRuns(query);
  const countsKey = JSON.stringify(batch.counts);
  const lastCounts = useRef(countsKey);
  useEffect(() => {
    if (countsKey === lastCounts.current) return;
    lastCounts.current = countsKey;
    void queryClient.invalidateQueries({ queryKey: runKeys.list(query), exact: true });
  }, [countsKey, queryClient, query]);

  const failedRuns = runsQuery.data?.items.filter((run) => run.status === "failed" || run.status === "error") ?? [];
  if (runsQuery.isPending) return <Spinner label="Loading the failed runs" />;
  if (runsQuery.isError) return <Alert title="The failed runs could not be loaded">{runsQuery.error.message}</Alert>;
  return (
    <ul className="space-y-2" aria-label="Runs that did not succeed">
      {failedRuns.map((run) => (
        <li
          key={run.id}
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm dark:border-red-900 dark:bg-red-950/40"
        >
          <div className="flex flex-wrap items-center gap-2">
            <RunStatusBadge status={run.status} />
            <span className="font-medium">{formatWindow(run.windowStart, run.windowEnd, timeZone)}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              attempt {run.attempts} of {run.maxAttempts}
              {run.isProvisional && " · provisional"}
            </span>
          </div>
          <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-900 dark:text-red-200">
            {run.error ?? "No error text was recorded."}
          </p>
        </li>
      ))}
    </ul>
  );
}
