import type { RunStatus, RunTrigger } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import type { AppDeps } from "../../../deps.ts";
import type { QueueStats } from "../../../metrics/metrics.ts";
import { countLeasedRuns, readRunQueueStats } from "./runs.repository.ts";

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

/**
 * Waits until no worker holds a run, or `deadline` (epoch ms): an API stopping the embedded Node-RED that separate
 * workers call lets their runs in flight finish first. Answers how many runs were still held at the end.
 */
export async function waitWhileWorkersHoldRuns(
  deps: Pick<AppDeps, "db" | "config">,
  deadline: number,
): Promise<number> {
  for (;;) {
    const held = await countLeasedRuns(deps.db, deps.config.engine.staleAfterMs);
    if (held === 0 || Date.now() >= deadline) return held;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
