import type { AppDeps } from "../../../deps.ts";
import { recordRunEnded } from "../runs/run-metrics.service.ts";
import { failComputation } from "../results/run-results.repository.ts";
import { finishRun, releaseRun, requeueRun, type ClaimedRun, type RunClaim } from "../runs/runs.repository.ts";

/** While Node-RED is away, retries start this soon and back off up to the maximum. */
const NODE_RED_WAIT_MIN_MS = 500;
const NODE_RED_WAIT_MAX_DELAY_MS = 15_000;
/** Giving a run back after a database error is tried for this long; past it, the reaper takes the run back. */
const RELEASE_RETRY_MIN_MS = 250;
const RELEASE_RETRY_MAX_MS = 2_000;

/** Ends a run as failed or error (of this claim only) and marks its computation failed. */
export async function endRun(deps: AppDeps, run: ClaimedRun, status: "failed" | "error", error: string): Promise<void> {
  if (!(await finishRun(deps.db, run, { status, error }))) return;
  recordRunEnded(deps, run, status);
  await failComputation(deps.db, run.id);
}

/** Backoff doubles per attempt, with ±20 % jitter so retries of many runs do not arrive together. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.round(baseMs * 2 ** (attempt - 1) * jitter);
}

/** A real try failed (the flow answered 5xx, or timed out): retry with backoff, or end `error` after the last one. */
export async function retryOrGiveUp(deps: AppDeps, run: ClaimedRun, error: string): Promise<void> {
  if (run.attempts >= run.maxAttempts) {
    await endRun(deps, run, "error", `${error} (after ${run.attempts} attempt${run.attempts === 1 ? "" : "s"})`);
    return;
  }
  const delayMs = retryDelayMs(deps.config.engine.retryBaseMs, run.attempts);
  if (await requeueRun(deps.db, run, delayMs, error)) await deps.runQueue.enqueue([run.id], delayMs);
}

/**
 * Node-RED is away: the run goes back to the queue with its attempt given back and a backoff that grows with the
 * time waited, until NODE_RED_WAIT_MAX_MS has passed since it first found Node-RED away; then it ends `error`.
 */
export async function waitForNodeRed(deps: AppDeps, run: ClaimedRun, error: string): Promise<void> {
  const waitedMs = nodeRedWaitedMs(run);
  if (waitedMs >= deps.config.engine.nodeRedWaitMaxMs) {
    await endRun(deps, run, "error", `Node-RED stayed unavailable for ${Math.round(waitedMs / 1000)} s: ${error}`);
    return;
  }
  const delayMs = nodeRedWaitDelayMs(waitedMs);
  if (await releaseRun(deps.db, run, { delayMs, error, waitsForNodeRed: true }))
    await deps.runQueue.enqueue([run.id], delayMs);
}

/** How long the run has been waiting for Node-RED (0 when it has not). */
export function nodeRedWaitedMs(run: ClaimedRun): number {
  return run.nodeRedWaitingSince ? Date.now() - Date.parse(run.nodeRedWaitingSince) : 0;
}

/** Half the time waited so far, between 0.5 s and 15 s, with ±20 % jitter so waiting runs do not return together. */
export function nodeRedWaitDelayMs(waitedMs: number): number {
  const base = Math.min(NODE_RED_WAIT_MAX_DELAY_MS, Math.max(NODE_RED_WAIT_MIN_MS, waitedMs / 2));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Hands a run back to the queue at once with its attempt given back: its worker is shutting down, or the database
 * failed under it (not the flow's fault). While the database is still away the release is retried with backoff for
 * up to the lease; past it the reaper takes the run back anyway, and the fenced release is then a no-op.
 */
export async function releaseAtOnce(deps: AppDeps, run: RunClaim): Promise<void> {
  const deadline = Date.now() + deps.config.engine.staleAfterMs;
  for (let waitMs = RELEASE_RETRY_MIN_MS; ; waitMs = Math.min(RELEASE_RETRY_MAX_MS, waitMs * 2)) {
    try {
      if (await releaseRun(deps.db, run, { delayMs: 0, error: null, waitsForNodeRed: false }))
        await deps.runQueue.enqueue([run.id]);
      return;
    } catch (error) {
      if (Date.now() + waitMs > deadline) {
        deps.log.warn({ err: error, runId: run.id }, "could not give the run back: the reaper will take it back");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * The run's mashup is over its limits and this worker has enough runs waiting already: the run goes back to the
 * queue, its attempt given back, due when the limiter expects room.
 */
export async function deferRun(deps: AppDeps, run: RunClaim, delayMs: number): Promise<void> {
  const jitteredMs = Math.round(delayMs * (1 + Math.random()));
  if (await releaseRun(deps.db, run, { delayMs: jitteredMs, error: null, waitsForNodeRed: false }))
    await deps.runQueue.enqueue([run.id], jitteredMs);
}
