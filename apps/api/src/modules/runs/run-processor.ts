import type { Catalog, Control } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import type { AuthKeys } from "../auth/secrets.ts";
import { requireCatalog } from "../catalogs/catalogs.service.ts";
import { completeComputation, failComputation, findBulkState, insertEvidences, listBulkItems, setComputationPoint } from "../computations/computations.repository.ts";
import { requireControl } from "../controls/controls.service.ts";
import { MashupUnreachableError } from "../mashups/node-red-client.ts";
import { getMashup } from "../mashups/mashups.service.ts";
import { appendEnginePoint } from "../points/points.service.ts";
import { evaluate, evidenceDigest, excerpt, normalizeEvidences, parseFlowResult, type NormalizedEvidence } from "./evaluation.ts";
import { signRunToken } from "./run-token.ts";
import { claimRun, finishRun, requeueRun, touchRunHeartbeat, type ClaimedRun } from "./runs.repository.ts";

/** How an attempt ended: evidences to store, a retryable problem, or a final one. */
type AttemptOutcome =
  | { kind: "evidences"; flowValue: unknown; evidences: NormalizedEvidence[] }
  | { kind: "retry"; error: string }
  | { kind: "failed"; error: string };

const BULK_POLL_MS = 100;

class RunNoLongerRunning extends Error {}

export interface ProcessorDeps extends AppDeps {
  keys: AuthKeys;
}

/**
 * Works one run: claim it, call its mashup, store the computation, its evidences and (for a closed window) the
 * guarantee point, all in one transaction; or schedule a retry with backoff, or end it as failed/error. Safe to call
 * twice for the same id: only the worker that claims the run proceeds.
 */
export async function processRun(deps: ProcessorDeps, runId: string): Promise<void> {
  const { engine } = deps.config;
  const run = await claimRun(deps.db, runId, engine.staleAfterMs);
  if (!run) {
    deps.log.debug({ runId }, "run not claimable (taken, finished or not due)");
    return;
  }
  if (run.attempts > run.maxAttempts) {
    await endRun(deps, run, "error", `Gave up after ${run.maxAttempts} attempts (the last worker stopped mid-run)`);
    return;
  }
  const heartbeat = setInterval(() => void touchRunHeartbeat(deps.db, run.id).catch(() => undefined), Math.max(250, engine.staleAfterMs / 4));
  try {
    const control = await requireControl(deps.db, run.controlId);
    const catalog = await requireCatalog(deps.db, control.catalogId);
    const outcome = await attempt(deps, run, control);
    if (outcome.kind === "evidences") await storeResult(deps, run, { control, catalog }, outcome);
    else if (outcome.kind === "failed") await endRun(deps, run, "failed", outcome.error);
    else await retryOrGiveUp(deps, run, outcome.error);
  } catch (error) {
    if (error instanceof RunNoLongerRunning) return;
    deps.log.error({ err: error, runId }, "run processing failed unexpectedly");
    await retryOrGiveUp(deps, run, `Internal error: ${(error as Error).message}`);
  } finally {
    clearInterval(heartbeat);
  }
}

async function attempt(deps: ProcessorDeps, run: ClaimedRun, control: Control): Promise<AttemptOutcome> {
  if (!control.mashupId) return { kind: "failed", error: "The control has no mashup to evaluate it" };
  let mashupPath: string;
  try {
    mashupPath = (await getMashup(deps, control.mashupId)).url;
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: "failed", error: `Mashup ${control.mashupId} does not exist in Node-RED` };
    if (error instanceof AppError && error.status === 503) return { kind: "retry", error: error.message };
    if (error instanceof MashupUnreachableError) return { kind: "retry", error: error.message };
    throw error;
  }
  return callMashup(deps, run, control, mashupPath);
}

async function callMashup(deps: ProcessorDeps, run: ClaimedRun, control: Control, path: string): Promise<AttemptOutcome> {
  const { mashupTimeoutMs } = deps.config.engine;
  const body = {
    controlId: control.id,
    runId: run.id,
    params: control.params,
    scope: run.scope,
    from: run.windowStart,
    to: run.windowEnd,
    period: control.period,
    callbackUrl: `${deps.config.internalUrl}/api/v1/computations/bulk`,
    callbackToken: signRunToken(deps.keys, run.id, Math.ceil((mashupTimeoutMs * 2) / 1000) + 60),
  };
  let response;
  try {
    response = await deps.nodeRed.invokeMashup({ path, body, timeoutMs: mashupTimeoutMs });
  } catch (error) {
    if (error instanceof MashupUnreachableError) return { kind: "retry", error: error.message };
    throw error;
  }
  if (response.status >= 500) return { kind: "retry", error: `The mashup answered ${response.status}: ${excerpt(response.body)}` };
  if (response.status >= 400) return { kind: "failed", error: `The mashup refused the request (${response.status}): ${excerpt(response.body)}` };
  const parsed = parseFlowResult(response.body);
  if (parsed.isValid) return { kind: "evidences", flowValue: parsed.value, evidences: parsed.evidences };
  const bulk = await findBulkState(deps.db, run.id);
  if (response.status === 202 || bulk.itemCount > 0 || bulk.isDone) return awaitBulk(deps, run);
  return { kind: "failed", error: parsed.problem };
}

/** A status-storer style flow answers at once and posts its items to /computations/bulk until `done: true`. */
async function awaitBulk(deps: ProcessorDeps, run: ClaimedRun): Promise<AttemptOutcome> {
  const deadline = Date.now() + deps.config.engine.mashupTimeoutMs;
  while (Date.now() < deadline) {
    const state = await findBulkState(deps.db, run.id);
    if (state.isDone) {
      const items = (await listBulkItems(deps.db, run.id)) as { value?: unknown; evidences?: Record<string, unknown>[] }[];
      const evidences = normalizeEvidences(items.flatMap((item) => item.evidences ?? []));
      return { kind: "evidences", flowValue: items.map((item) => item.value ?? null), evidences };
    }
    await new Promise((resolve) => setTimeout(resolve, BULK_POLL_MS));
  }
  return { kind: "retry", error: `The mashup did not post done: true to /computations/bulk within ${deps.config.engine.mashupTimeoutMs} ms` };
}

/**
 * Stores the computation, its evidences and the run's end, then — last, to hold the control's chain lock as briefly
 * as possible — appends the guarantee point. One transaction: all of it lands, or none.
 */
async function storeResult(deps: ProcessorDeps, run: ClaimedRun, context: { control: Control; catalog: Catalog }, outcome: Extract<AttemptOutcome, { kind: "evidences" }>): Promise<void> {
  const { control, catalog } = context;
  const evaluation = evaluate(outcome.evidences, control.threshold);
  const digest = evidenceDigest(outcome.evidences);
  // Drafts and open windows are evaluated but make no guarantee point.
  const makesPoint = !run.isProvisional && control.status === "finalized" && catalog.status === "finalized";
  await withTransaction(deps.db, async (tx) => {
    if (!(await finishRun(tx, run.id, { status: "succeeded", error: null }))) throw new RunNoLongerRunning();
    const computationId = await completeComputation(tx, run.id, { flowValue: outcome.flowValue, counts: evaluation.counts, compliance: evaluation.compliance, result: evaluation.result, evidenceDigest: digest });
    await insertEvidences(tx, computationId, outcome.evidences);
    if (!makesPoint) return;
    const { pointId } = await appendEnginePoint(tx, {
      controlId: control.id, catalogId: catalog.id, scope: run.scope, scopeKey: run.scopeKey, windowStart: run.windowStart, windowEnd: run.windowEnd,
      value: evaluation.compliance, threshold: control.threshold, result: evaluation.result, computationId, evidenceDigest: digest,
    });
    await setComputationPoint(tx, computationId, pointId);
  });
}

async function endRun(deps: ProcessorDeps, run: ClaimedRun, status: "failed" | "error", error: string): Promise<void> {
  if (await finishRun(deps.db, run.id, { status, error })) await failComputation(deps.db, run.id);
}

/** Backoff doubles per attempt, with ±20 % jitter so retries of many runs do not arrive together. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.round(baseMs * 2 ** (attempt - 1) * jitter);
}

async function retryOrGiveUp(deps: ProcessorDeps, run: ClaimedRun, error: string): Promise<void> {
  if (run.attempts >= run.maxAttempts) {
    await endRun(deps, run, "error", `${error} (after ${run.attempts} attempt${run.attempts === 1 ? "" : "s"})`);
    return;
  }
  const delayMs = retryDelayMs(deps.config.engine.retryBaseMs, run.attempts);
  if (await requeueRun(deps.db, run.id, delayMs, error)) await deps.runQueue.enqueue([run.id], delayMs);
}
