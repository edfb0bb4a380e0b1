import type {
  CollectorRequest,
  Computation,
  ComputationDetail,
  ComputationListQuery,
  ComputationScopes,
  Page,
} from "@status/shared";
import type { AppDeps } from "../../../deps.ts";
import { NotFoundError, ValidationError } from "../../../errors.ts";
import type { Actor } from "../../../domain/actor.ts";
import { requireControl } from "../../controls/index.ts";
import { canonicalJson } from "../../../domain/canonical-json.ts";
import { withHandlingAt } from "../../../domain/point-handling.ts";
import { runForCollector } from "../runs/runs.service.ts";
import {
  findComputation,
  findComputationDigests as findComputationDigestRows,
  findComputationPosition,
  listComputationScopes,
  listComputationsOfControl,
  listEvidences,
  type LinkedComputation,
} from "./computations.repository.ts";

/**
 * A page of a control's computations, filtered by status, result and scope. With `around`, the page that holds that
 * computation (so a link to it can open it wherever it sits in the history); the requested page when it is not there.
 */
export async function listControlComputations(
  deps: AppDeps,
  controlId: string,
  query: ComputationListQuery,
): Promise<Page<Computation>> {
  await requireControl(deps.db, controlId);
  if (!query.around) {
    const page = await listComputationsOfControl(deps.db, controlId, query);
    return { ...page, items: withHandlingAt(page.items, deps.now()) };
  }
  const position = await findComputationPosition(deps.db, controlId, query, query.around);
  const pageNumber = position === undefined ? query.page : Math.ceil(position / query.pageSize);
  const page = await listComputationsOfControl(deps.db, controlId, { ...query, page: pageNumber });
  return { ...page, items: withHandlingAt(page.items, deps.now()) };
}

/** Every scope a control was computed for (the history's scope filter), with its number of computations. */
export async function listControlComputationScopes(deps: AppDeps, controlId: string): Promise<ComputationScopes> {
  await requireControl(deps.db, controlId);
  return { items: await listComputationScopes(deps.db, controlId) };
}

/** A computation with its evidences; `undefined` while its run is still working (the collector's 202). */
export async function getComputationDetail(
  deps: AppDeps,
  id: string,
): Promise<ComputationDetail | { pending: Computation }> {
  const found = await findComputation(deps.db, id);
  if (!found) throw new NotFoundError("computation", id);
  const [computation] = withHandlingAt([found], deps.now()) as [Computation];
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

/**
 * For the registry sync: which of the given ids are ready computations of ours, with their control, result and
 * evidence digest, so a registry point can be linked to the evidence behind it.
 */
export async function findComputationDigests(
  deps: Pick<AppDeps, "db">,
  ids: string[],
): Promise<Map<string, LinkedComputation>> {
  return findComputationDigestRows(deps.db, ids);
}
