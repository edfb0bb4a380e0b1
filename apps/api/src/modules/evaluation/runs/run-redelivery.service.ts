import type { AppDeps } from "../../../deps.ts";
import { listOverdueQueuedRuns, listStaleRunningRuns } from "./runs.repository.ts";

// A queued run this long overdue has probably lost its delivery (a restarted in-process queue): deliver it again.
const REDELIVERY_GRACE_MS = 30_000;
const MAINTENANCE_BATCH = 500;

/** The reaper and the sweeper: runs whose worker died, and queued runs whose delivery was lost, are delivered again. */
export async function redeliverLostRuns(deps: AppDeps): Promise<number> {
  const stale = await listStaleRunningRuns(deps.db, deps.config.engine.staleAfterMs, MAINTENANCE_BATCH);
  const overdue = await listOverdueQueuedRuns(deps.db, REDELIVERY_GRACE_MS, MAINTENANCE_BATCH);
  const ids = [...stale, ...overdue];
  if (ids.length > 0) {
    deps.log.info({ stale: stale.length, overdue: overdue.length }, "delivering runs again");
    await deps.runQueue.enqueue(ids);
  }
  return ids.length;
}
