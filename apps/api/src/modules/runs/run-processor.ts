import { createMicroBatcher } from "../../lib/micro-batcher.ts";
import { createSemaphore } from "../../lib/semaphore.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import { getControlsWithCatalogsOfRuns } from "../controls/index.ts";
import { MashupUnreachableError } from "../../node-red/node-red-client.ts";
import { getMashup } from "../mashups/index.ts";
import { excerpt, normalizeEvidences, parseFlowResult } from "../../domain/evaluation.ts";
import { findBulkState, listBulkItems } from "./bulk-items.repository.ts";
import { recordRunEnded } from "./run-metrics.service.ts";
import { failComputation } from "./run-results.repository.ts";
import { storeResults, type EvidenceOutcome, type RunContext, type StoreItem } from "./run-results.service.ts";
import { termsForRun, type EvaluationTerms } from "./run-terms.ts";
import { signRunToken } from "./run-token.ts";
import { claimRuns, finishRun, requeueRun, touchRunHeartbeat, type ClaimedRun } from "./runs.repository.ts";

/** How an attempt ended: evidences to store, a retryable problem, or a final one. */
type AttemptOutcome = EvidenceOutcome | { kind: "retry"; error: string } | { kind: "failed"; error: string };

const BULK_POLL_MS = 100;

/** Limits the calls to Node-RED in flight, whatever the number of runs in flight. */
type CallNodeRed = <T>(task: () => Promise<T>) => Promise<T>;

/** A claimed run with its control and catalog (none: the control was deleted), or why they could not be read. */
interface Claimed {
  run: ClaimedRun;
  context?: RunContext | undefined;
  contextError?: Error;
}

/**
 * Claims and stores of concurrent runs are gathered into one statement: one batch at a time of each, and the runs
 * that arrive meanwhile make the next one (so batches grow with the load), or after `maxWaitMs` when idle.
 */
const BATCH = { maxSize: 128, maxWaitMs: 2, maxInFlight: 1 };

export interface RunProcessor {
  /** Works one run; safe to call twice for the same id: only the worker that claims the run proceeds. */
  process(runId: string): Promise<void>;
}

/**
 * Works runs: claim, call the mashup, store the computation, its evidences and (for a closed window) the guarantee
 * point in one transaction — or schedule a retry with backoff, or end the run as failed/error. Concurrent runs share
 * their database work: claims, control lookups and stores are batched, so a thousand runs a second cost a few
 * dozen commits rather than a thousand.
 */
export function createRunProcessor(deps: AppDeps): RunProcessor {
  const { engine } = deps.config;
  // A claim brings the runs' controls and catalogs along, read at the same time: one batch, one wait, one round trip.
  const claim = createMicroBatcher(async (ids: string[]): Promise<(Claimed | undefined)[]> => {
    const contexts = getControlsWithCatalogsOfRuns(deps.db, ids).then(
      (found) => ({ found }),
      (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    const runs = await claimRuns(deps.db, ids, engine.staleAfterMs);
    const loaded = await contexts;
    const claimed = new Map(
      runs.map((run) => [
        run.id,
        "error" in loaded ? { run, contextError: loaded.error } : { run, context: loaded.found.get(run.controlId) },
      ]),
    );
    return ids.map((id) => claimed.get(id));
  }, BATCH);
  const store = createMicroBatcher((items: StoreItem[]) => storeResults(deps, items), BATCH);
  const callNodeRed = createSemaphore(engine.mashupConcurrency);

  return {
    async process(runId) {
      const claimed = await claim(runId);
      if (!claimed) {
        deps.log.debug({ runId }, "run not claimable (taken, finished or not due)");
        return;
      }
      const { run, context, contextError } = claimed;
      if (run.attempts > run.maxAttempts) {
        await endRun(deps, run, "error", `Gave up after ${run.maxAttempts} attempts (the last worker stopped mid-run)`);
        return;
      }
      const heartbeat = setInterval(
        () => void touchRunHeartbeat(deps.db, run.id).catch(() => undefined),
        Math.max(250, engine.staleAfterMs / 4),
      );
      try {
        if (contextError) throw contextError;
        if (!context) return await endRun(deps, run, "failed", "The control was deleted");
        // Runs queued before an archive are not evaluated: archiving stops everything that would add to the record.
        if (context.control.archive || context.control.isCatalogArchived)
          return await endRun(
            deps,
            run,
            "failed",
            "The control or its catalog was archived before this run was evaluated",
          );
        const terms = termsForRun(context, run);
        if ("problem" in terms) return await endRun(deps, run, "failed", terms.problem);
        const outcome = await attempt(deps, callNodeRed, run, terms);
        if (outcome.kind === "evidences") await store({ run, context, terms, outcome });
        else if (outcome.kind === "failed") await endRun(deps, run, "failed", outcome.error);
        else await retryOrGiveUp(deps, run, outcome.error);
      } catch (error) {
        deps.log.error({ err: error, runId }, "run processing failed unexpectedly");
        await retryOrGiveUp(deps, run, `Internal error: ${(error as Error).message}`);
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

async function attempt(
  deps: AppDeps,
  callNodeRed: CallNodeRed,
  run: ClaimedRun,
  terms: EvaluationTerms,
): Promise<AttemptOutcome> {
  if (!terms.mashupId) return { kind: "failed", error: "The control has no mashup to evaluate it" };
  let mashupPath: string;
  try {
    mashupPath = (await getMashup(deps, terms.mashupId)).url;
  } catch (error) {
    if (error instanceof NotFoundError)
      return { kind: "failed", error: `Mashup ${terms.mashupId} does not exist in Node-RED` };
    if (error instanceof AppError && error.status === 503) return { kind: "retry", error: error.message };
    if (error instanceof MashupUnreachableError) return { kind: "retry", error: error.message };
    throw error;
  }
  return callMashup(deps, callNodeRed, run, terms, mashupPath);
}

async function callMashup(
  deps: AppDeps,
  callNodeRed: CallNodeRed,
  run: ClaimedRun,
  terms: EvaluationTerms,
  path: string,
): Promise<AttemptOutcome> {
  const { mashupTimeoutMs } = deps.config.engine;
  const body = {
    controlId: terms.controlId,
    runId: run.id,
    params: terms.params,
    scope: run.scope,
    from: run.windowStart,
    to: run.windowEnd,
    period: terms.period,
    callbackUrl: `${deps.config.internalUrl}/api/v1/computations/bulk`,
    callbackToken: signRunToken(deps.keys, run.id, Math.ceil((mashupTimeoutMs * 2) / 1000) + 60),
  };
  let response;
  try {
    response = await callNodeRed(() => deps.nodeRed.invokeMashup({ path, body, timeoutMs: mashupTimeoutMs }));
  } catch (error) {
    if (error instanceof MashupUnreachableError) return { kind: "retry", error: error.message };
    throw error;
  }
  if (response.status >= 500)
    return { kind: "retry", error: `The mashup answered ${response.status}: ${excerpt(response.body)}` };
  if (response.status >= 400)
    return { kind: "failed", error: `The mashup refused the request (${response.status}): ${excerpt(response.body)}` };
  const parsed = parseFlowResult(response.body);
  if (parsed.isValid) return { kind: "evidences", flowValue: parsed.value, evidences: parsed.evidences };
  const bulk = await findBulkState(deps.db, run.id);
  if (response.status === 202 || bulk.itemCount > 0 || bulk.isDone) return awaitBulk(deps, run);
  return { kind: "failed", error: parsed.problem };
}

/** A status-storer style flow answers at once and posts its items to /computations/bulk until `done: true`. */
async function awaitBulk(deps: AppDeps, run: ClaimedRun): Promise<AttemptOutcome> {
  const deadline = Date.now() + deps.config.engine.mashupTimeoutMs;
  while (Date.now() < deadline) {
    const state = await findBulkState(deps.db, run.id);
    if (state.isDone) {
      const items = (await listBulkItems(deps.db, run.id)) as {
        value?: unknown;
        evidences?: Record<string, unknown>[];
      }[];
      const evidences = normalizeEvidences(items.flatMap((item) => item.evidences ?? []));
      return { kind: "evidences", flowValue: items.map((item) => item.value ?? null), evidences };
    }
    await new Promise((resolve) => setTimeout(resolve, BULK_POLL_MS));
  }
  return {
    kind: "retry",
    error: `The mashup did not post done: true to /computations/bulk within ${deps.config.engine.mashupTimeoutMs} ms`,
  };
}

async function endRun(deps: AppDeps, run: ClaimedRun, status: "failed" | "error", error: string): Promise<void> {
  if (!(await finishRun(deps.db, run.id, { status, error }))) return;
  recordRunEnded(deps, run, status);
  await failComputation(deps.db, run.id);
}

/** Backoff doubles per attempt, with ±20 % jitter so retries of many runs do not arrive together. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.round(baseMs * 2 ** (attempt - 1) * jitter);
}

async function retryOrGiveUp(deps: AppDeps, run: ClaimedRun, error: string): Promise<void> {
  if (run.attempts >= run.maxAttempts) {
    await endRun(deps, run, "error", `${error} (after ${run.attempts} attempt${run.attempts === 1 ? "" : "s"})`);
    return;
  }
  const delayMs = retryDelayMs(deps.config.engine.retryBaseMs, run.attempts);
  if (await requeueRun(deps.db, run.id, delayMs, error)) await deps.runQueue.enqueue([run.id], delayMs);
}
