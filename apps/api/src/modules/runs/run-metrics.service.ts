import type { RunStatus, RunTrigger } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { QueueStats } from "../../metrics/metrics.ts";
import { readRunQueueStats } from "./runs.repository.ts";

/** Counts a run that ended (status_runs_total) and, when it had started, its duration (status_run_duration_seconds). */
export function recordRunEnded(
  deps: Pick<AppDeps, "metrics">,
  run: { trigger: RunTrigger; startedAt: string | null },
  status: Extract<RunStatus, "succeeded" | "failed" | "error" | "cancelled">,
): void {
  const labels = { trigger: run.trigger, status };
  deps.metrics.runsFinished.inc(labels);
  if (run.startedAt)
    deps.metrics.runDuration.observe(labels, Math.max(0, Date.now() - Date.parse(run.startedAt)) / 1000);
}

/** The queue as the database holds it, for the status_run_queue_* gauges (read at each scrape). */
export function getRunQueueStats(db: Queryable): Promise<QueueStats> {
  return readRunQueueStats(db);
}
