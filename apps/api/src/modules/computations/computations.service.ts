import type {
  BulkComputationsBody,
  CollectorRequest,
  Computation,
  ComputationDetail,
  ComputationListQuery,
  Page,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { requireControl } from "../controls/controls.service.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { getRun, isRunFinished, runForCollector } from "../runs/runs.service.ts";
import {
  findComputation,
  insertBulkItems,
  listComputationsOfControl,
  listEvidences,
  markBulkDone,
} from "./computations.repository.ts";

export async function listControlComputations(
  deps: AppDeps,
  controlId: string,
  query: ComputationListQuery,
): Promise<Page<Computation>> {
  await requireControl(deps.db, controlId);
  return listComputationsOfControl(deps.db, controlId, query);
}

/** A computation with its evidences; `undefined` while its run is still working (the collector's 202). */
export async function getComputationDetail(
  deps: AppDeps,
  id: string,
): Promise<ComputationDetail | { pending: Computation }> {
  const computation = await findComputation(deps.db, id);
  if (!computation) throw new NotFoundError("computation", id);
  if (computation.status === "pending") return { pending: computation };
  const evidences = await listEvidences(deps.db, id);
  const aggregate =
    computation.status === "ready"
      ? [
          {
            id: computation.id,
            controlId: computation.controlId,
            scope: computation.scope,
            period: { from: computation.windowStart, to: computation.windowEnd },
            value: computation.compliance ?? 0,
            evidences,
          },
        ]
      : [];
  return { ...computation, evidences, code: 200, message: "OK", computations: aggregate };
}

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

/**
 * The registry's collector call (POST-GET-V1-STATUS): computes one control for the metric's scope and window and
 * answers the URL to poll. The control is named by `metric.params.controlId`, as our published agreements do.
 */
export async function startCollectorComputation(
  deps: AppDeps,
  actor: Actor,
  request: CollectorRequest,
): Promise<string> {
  const controlId = request.metric.params.controlId;
  if (typeof controlId !== "string" || !/^[0-9a-f-]{36}$/i.test(controlId)) {
    throw new ValidationError([
      { path: "body.metric.params.controlId", message: "Name the control to compute (a UUID)" },
    ]);
  }
  const { initial, end } = request.metric.window;
  if (Date.parse(end) <= Date.parse(initial))
    throw new ValidationError([{ path: "body.metric.window.end", message: "Must be after initial" }]);
  return runForCollector(deps, actor, {
    controlId,
    scope: request.metric.scope,
    scopeKey: canonicalJson(request.metric.scope),
    windowStart: new Date(initial).toISOString(),
    windowEnd: new Date(end).toISOString(),
  });
}
