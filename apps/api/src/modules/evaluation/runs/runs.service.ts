import {
  hasRole,
  TERMINAL_RUN_STATUSES,
  type Catalog,
  type Control,
  type CreateRunsBody,
  type CreatedRuns,
  type Page,
  type Run,
  type RunBatch,
  type RunListQuery,
  type RunStatus,
  type RunTrigger,
  type SkippedWindows,
  type WindowSkipReason,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../../db/database.ts";
import type { AppDeps } from "../../../deps.ts";
import { AppError, ConflictError, ForbiddenError, NotFoundError } from "../../../errors.ts";
import type { Actor } from "../../../domain/actor.ts";
import { assertCatalogNotArchived, requireCatalog } from "../../catalogs/index.ts";
import { assertControlNotArchived, listAllControls, requireControl } from "../../controls/index.ts";
import { recordRunEnded } from "./run-metrics.service.ts";
import {
  cancelRunRow,
  deleteRunsOfControls,
  findBatch,
  findRun,
  findRunsByIds,
  insertBatch,
  insertRuns,
  listRuns,
  setBatchRunCount,
  type NewRun,
} from "./runs.repository.ts";

export type { NewRun };
import { lifeOf, planWindows, type ControlLife, sumSkipped, windowSkipReason } from "../../../domain/control-life.ts";
import { catalogCalendar } from "../../../domain/windows.ts";
import { evaluationPlanOf } from "../schedule/evaluation-plan.ts";

/** One request may create at most this many runs (windows × scope sets × controls). */
export const MAX_RUNS_PER_REQUEST = 5000;
const RUNS_SHOWN_ON_CREATE = 100;

function tooManyRuns(): AppError {
  return new AppError(
    400,
    "too_many_windows",
    "Too many windows",
    `One request may create at most ${MAX_RUNS_PER_REQUEST} runs; ask for a shorter range`,
  );
}

/** The runs a control gets for a request, and the windows asked for that lie outside its life. */
interface PlannedRuns {
  runs: NewRun[];
  skipped: SkippedWindows[];
}

/**
 * One run per window and per scope set of the version that decides the window: the windows overlapping the asked
 * range, or the latest closed one, each in the period of its version and only whole windows inside the control's life.
 */
async function plannedRuns(
  deps: AppDeps,
  control: Control,
  catalog: Catalog,
  body: CreateRunsBody,
): Promise<PlannedRuns> {
  const now = deps.now();
  const plan = await evaluationPlanOf(deps.db, control);
  const { windows, skipped, isTruncated } = planWindows({
    spans: plan.spans,
    life: lifeOf(control, catalog),
    calendar: catalogCalendar(catalog),
    range: body.from && body.to ? { start: new Date(body.from), end: new Date(body.to) } : null,
    now,
    limit: MAX_RUNS_PER_REQUEST,
  });
  if (isTruncated) throw tooManyRuns();
  const runs = windows.flatMap((window) =>
    plan.scopesFor(window.version).map((scope) => ({
      controlId: control.id,
      scopeSetId: scope.scopeSetId,
      scope: scope.scope,
      scopeKey: scope.scopeKey,
      windowStart: window.start.toISOString(),
      windowEnd: window.end.toISOString(),
      isProvisional: window.end > now,
    })),
  );
  return { runs, skipped };
}

export function windowOutsideLife(reason: WindowSkipReason, life: ControlLife): ConflictError {
  const detail =
    reason === "before_start"
      ? `The window starts before the control's start (${life.start!.toISOString()})`
      : `The window ends after the control's end (${life.end!.toISOString()})`;
  return new ConflictError("window_outside_life", detail);
}

function assertRunnable(control: Control): void {
  if (control.kind === "push")
    throw new ConflictError(
      "control_not_runnable",
      `The control "${control.name}" is a push control: its evidence is sent to POST /controls/${control.id}/evidence`,
    );
  if (!control.mashupId)
    throw new ConflictError("control_not_runnable", `The control "${control.name}" has no mashup; bind one first`);
}

/**
 * Inserts a batch with its runs (and their pending computations) in the caller's transaction; delivering them to the
 * queue is the caller's, after the commit. Scheduled runs whose window has one already are skipped, and the batch
 * counts only the runs inserted.
 */
export async function insertRunBatch(
  tx: Queryable,
  deps: Pick<AppDeps, "config">,
  input: {
    catalogId: string | null;
    controlId: string | null;
    trigger: RunTrigger;
    requestedBy: string | null;
    runs: NewRun[];
  },
): Promise<{ batchId: string; runIds: string[] }> {
  const batchId = await insertBatch(tx, {
    catalogId: input.catalogId,
    controlId: input.controlId,
    trigger: input.trigger,
    requestedBy: input.requestedBy,
    runCount: input.runs.length,
  });
  const runIds = await insertRuns(tx, {
    batchId,
    trigger: input.trigger,
    maxAttempts: deps.config.engine.maxAttempts,
    requestedBy: input.requestedBy,
    runs: input.runs,
  });
  if (runIds.length !== input.runs.length) await setBatchRunCount(tx, batchId, runIds.length);
  return { batchId, runIds };
}

/** Creates a batch of runs, hands them to the queue, and answers the batch with its first runs. */
async function createBatch(
  deps: AppDeps,
  input: {
    actor: Actor | null;
    catalogId: string | null;
    controlId: string | null;
    trigger: RunTrigger;
    runs: NewRun[];
    skipped: SkippedWindows[];
  },
): Promise<CreatedRuns> {
  if (input.runs.length > MAX_RUNS_PER_REQUEST) throw tooManyRuns();
  const { batchId, runIds } = await withTransaction(deps.db, (tx) =>
    insertRunBatch(tx, deps, { ...input, requestedBy: input.actor?.userId ?? null }),
  );
  await deps.runQueue.enqueue(runIds);
  return {
    batch: await getRunBatch(deps, batchId),
    runs: await findRunsByIds(deps.db, runIds.slice(0, RUNS_SHOWN_ON_CREATE)),
    skipped: input.skipped,
  };
}

/** Runs one control now: the latest closed window, or every window overlapping `{from, to}`, for each scope set. */
export async function runControl(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  body: CreateRunsBody,
  trigger: RunTrigger = "manual",
): Promise<CreatedRuns> {
  const control = await requireControl(deps.db, controlId);
  // Archived: nothing more is evaluated (409 `archived`), whichever trigger asks (run, range, backfill).
  assertControlNotArchived(control);
  assertRunnable(control);
  const catalog = await requireCatalog(deps.db, control.catalogId);
  return createBatch(deps, {
    actor,
    catalogId: catalog.id,
    controlId,
    trigger,
    ...(await plannedRuns(deps, control, catalog, body)),
  });
}

/** Runs every control of a catalog that has a mashup. */
export async function runCatalog(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  body: CreateRunsBody,
): Promise<CreatedRuns> {
  const catalog = await requireCatalog(deps.db, catalogId);
  assertCatalogNotArchived(catalog);
  // Archived controls of the catalog are left out: they are no longer evaluated.
  const controls = await listAllControls(deps, { catalogId, page: 1, pageSize: 200, sort: "name", archived: "false" });
  const runnable = controls.items.filter((control) => control.mashupId);
  if (runnable.length === 0)
    throw new ConflictError("control_not_runnable", "No control of this catalog has a mashup yet");
  const runs: NewRun[] = [];
  const skipped: SkippedWindows[][] = [];
  for (const control of runnable) {
    const planned = await plannedRuns(deps, control, catalog, body);
    runs.push(...planned.runs);
    skipped.push(planned.skipped);
    if (runs.length > MAX_RUNS_PER_REQUEST) throw tooManyRuns();
  }
  return createBatch(deps, {
    actor,
    catalogId,
    controlId: null,
    trigger: "manual",
    runs,
    skipped: sumSkipped(skipped),
  });
}

/**
 * One run for the registry's collector. It makes no engine point (the registry turns the value into its own
 * guarantee state); answers the id of the computation to poll. A window outside the control's life is refused (409
 * `window_outside_life`), as every other trigger leaves such windows out.
 */
export async function runForCollector(
  deps: AppDeps,
  actor: Actor,
  input: {
    controlId: string;
    scope: Record<string, unknown>;
    scopeKey: string;
    windowStart: string;
    windowEnd: string;
  },
): Promise<string> {
  const control = await requireControl(deps.db, input.controlId);
  // The registry's agreement no longer names an archived control; a collector asking anyway is refused, with why.
  assertControlNotArchived(control);
  assertRunnable(control);
  const catalog = await requireCatalog(deps.db, control.catalogId);
  const window = { start: new Date(input.windowStart), end: new Date(input.windowEnd) };
  const life = lifeOf(control, catalog);
  const reason = windowSkipReason(window, life);
  if (reason) throw windowOutsideLife(reason, life);
  const run: NewRun = {
    controlId: control.id,
    scopeSetId: null,
    scope: input.scope,
    scopeKey: input.scopeKey,
    windowStart: input.windowStart,
    windowEnd: input.windowEnd,
    isProvisional: true,
  };
  const created = await createBatch(deps, {
    actor,
    catalogId: control.catalogId,
    controlId: control.id,
    trigger: "collector",
    runs: [run],
    skipped: [],
  });
  return created.runs[0]!.computationId!;
}

export async function listAllRuns(deps: AppDeps, query: RunListQuery): Promise<Page<Run>> {
  return listRuns(deps.db, query);
}

export async function getRun(deps: AppDeps, id: string): Promise<Run> {
  const run = await findRun(deps.db, id);
  if (!run) throw new NotFoundError("run", id);
  return run;
}

export function isRunFinished(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

/** 0 queued, ½ running, 1 finished: what a progress bar of one run shows. */
export function runProgress(run: Run): number {
  if (isRunFinished(run.status)) return 1;
  return run.status === "running" ? 0.5 : 0;
}

/**
 * Cancels a queued or running run: yours, or anyone's for DEVELOPER and ADMIN. A running attempt's result is discarded.
 */
export async function cancelRun(deps: AppDeps, actor: Actor, id: string): Promise<Run> {
  const run = await getRun(deps, id);
  if (run.requestedBy !== actor.userId && !hasRole(actor.role, "DEVELOPER"))
    throw new ForbiddenError("Only DEVELOPER or ADMIN may cancel runs someone else started");
  if (isRunFinished(run.status))
    throw new ConflictError(
      "run_finished",
      `The run has already ${run.status === "cancelled" ? "been cancelled" : "finished"}`,
    );
  if (await cancelRunRow(deps.db, id)) recordRunEnded(deps, run, "cancelled");
  return getRun(deps, id);
}

export async function getRunBatch(deps: AppDeps, id: string): Promise<RunBatch> {
  const row = await findBatch(deps.db, id);
  if (!row) throw new NotFoundError("run batch", id);
  const finished = TERMINAL_RUN_STATUSES.reduce((sum, status) => sum + (row.counts[status] ?? 0), 0);
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, error: 0, cancelled: 0, ...row.counts };
  return {
    id: row.id,
    catalogId: row.catalogId,
    controlId: row.controlId,
    trigger: row.trigger,
    runCount: row.runCount,
    counts,
    progress: row.runCount === 0 ? 1 : finished / row.runCount,
    isDone: finished >= row.runCount,
    createdAt: row.createdAt,
  };
}

/**
 * For the archive module, deleting drafts: removes the given draft controls' runs (with their computations and
 * evidences) and batches, in the caller's transaction. Drafts never make points; the controls' deletion follows in the
 * same transaction, and the database refuses it for a control with history.
 */
export async function removeRunsOfDraftControls(
  tx: Queryable,
  input: { controlIds: string[]; catalogId: string | null },
): Promise<number> {
  return deleteRunsOfControls(tx, input);
}
