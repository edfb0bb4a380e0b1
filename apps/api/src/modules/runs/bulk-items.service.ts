import type { BulkComputationsBody } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { ConflictError } from "../../errors.ts";
import { insertBulkItems, markBulkDone } from "./bulk-items.repository.ts";
import { getRun, isRunFinished } from "./runs.service.ts";

/**
 * Takes items a mashup posts back for its run (the reference's status-storer protocol). The run token names the
 * run; items are kept until `done: true`, when the waiting worker assembles them.
 */
export async function receiveBulkItems(
  deps: AppDeps,
  runId: string,
  body: BulkComputationsBody,
): Promise<{ received: number; done: boolean }> {
  const run = await getRun(deps, runId);
  if (isRunFinished(run.status)) throw new ConflictError("run_finished", `The run has already ${run.status}`);
  await insertBulkItems(deps.db, runId, body.computations);
  if (body.done) await markBulkDone(deps.db, runId);
  return { received: body.computations.length, done: body.done };
}
