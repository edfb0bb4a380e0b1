import { hasRole, type BulkComputationsBody } from "@status/shared";
import type { AppDeps } from "../../../deps.ts";
import type { Actor } from "../../../domain/actor.ts";
import { assertTokenPermits } from "../../../domain/token-permits.ts";
import { AppError, ConflictError, ForbiddenError } from "../../../errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { insertBulkItems, markBulkDone } from "./bulk-items.repository.ts";
import { getRun, isRunFinished } from "../runs/runs.service.ts";

type BulkItem = BulkComputationsBody["computations"][number];

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
  await insertBulkItems(deps.db, runId, body.computations.map(withPeriodOnEvidences));
  if (body.done) await markBulkDone(deps.db, runId);
  return { received: body.computations.length, done: body.done };
}

/**
 * The same items posted with a personal API token, as flows written for the reference STATUS do (their storer holds
 * a user's token, not the run's): the first item's `computationGroup` names the run. The user must be allowed to
 * write results (DEVELOPER or higher) and a scoped token needs `runs:write` for the run's control; the post is
 * audited as that user with the token that made it.
 */
export async function receiveBulkItemsAsUser(
  deps: AppDeps,
  actor: Actor,
  body: BulkComputationsBody,
): Promise<{ received: number; done: boolean }> {
  if (!hasRole(actor.role, "DEVELOPER"))
    throw new ForbiddenError("Posting computations for a run needs the DEVELOPER role or higher");
  const runId = body.computations[0]?.computationGroup;
  if (!runId)
    throw new AppError(
      400,
      "bulk_run_required",
      "Run required",
      "With a personal API token the first item must carry computationGroup: the run id the flow was called with",
    );
  const run = await getRun(deps, runId);
  assertTokenPermits(actor, "runs:write", { controlId: run.controlId, catalogId: run.catalogId });
  const received = await receiveBulkItems(deps, runId, body);
  await recordAudit(deps.db, actor, {
    action: "create",
    resourceType: "run",
    resourceId: runId,
    after: { controlId: run.controlId, ...received },
  });
  return received;
}

/** The reference puts the window on the item (`period`); our evidences carry their own from/to. */
function withPeriodOnEvidences(item: BulkItem): BulkItem {
  const { period } = item;
  if (!period) return item;
  return {
    ...item,
    evidences: item.evidences.map((evidence) => ({
      ...evidence,
      from: evidence.from ?? period.from,
      to: evidence.to ?? period.to,
    })),
  };
}
