import { createMicroBatcher } from "../../../lib/micro-batcher.ts";
import { createSemaphore } from "../../../lib/semaphore.ts";
import type { AppDeps } from "../../../deps.ts";
import { isDatabaseUnreachable } from "../../../db/pg-errors.ts";
import { AppError, NotFoundError } from "../../../errors.ts";
import { runContextsOfControls, type RunContext } from "../../controls/index.ts";
import { MashupUnreachableError } from "../../../node-red/node-red-client.ts";
import { getMashup } from "../../mashups/index.ts";
import { createMemoryMashupLimiter, type MashupLimiter } from "../../../queue/mashup-limiter.ts";
import { createMashupDirectory, type MashupTarget } from "./mashup-directory.ts";
import { createMashupGate, MashupLimitedError, type MashupGate } from "./mashup-gate.ts";
import { excerpt, normalizeEvidences, parseFlowResult } from "../../../domain/evaluation.ts";
import { findBulkState, listBulkItems } from "../results/bulk-items.repository.ts";
import { storeResults, type EvidenceOutcome, type StoreItem } from "../results/run-results.service.ts";
import { termsForRun, type EvaluationTerms } from "./run-terms.ts";
import { signRunToken } from "./run-token.ts";
import { createLeaseKeeper, type RunLease } from "./run-lease.ts";
import { deferRun, endRun, nodeRedWaitedMs, releaseAtOnce, retryOrGiveUp, waitForNodeRed } from "./run-outcomes.ts";
import { claimRuns, touchRunHeartbeats, type ClaimedRun, type RunClaim } from "../runs/runs.repository.ts";

/**
 * How an attempt ended: evidences to store, a retryable problem, a final one, or Node-RED not there to answer
 * (unreachable, restarting, flows not loaded yet), which gives the attempt back.
 */
type AttemptOutcome =
  | EvidenceOutcome
  | { kind: "retry"; error: string }
  | { kind: "failed"; error: string; status?: number }
  | { kind: "unavailable"; error: string };

/**
 * How long after a run first found Node-RED away a 404 for a flow the flow list has still means "flows not loaded
 * yet" (a restart); a 404 that lasts longer is the flow's real answer.
 */
const FLOW_LOAD_GRACE_MS = 60_000;

const BULK_POLL_MS = 100;
/** A delivery whose claim met an unreachable database comes again after this long. */
const CLAIM_RETRY_MS = 1_000;
/** After the shutdown deadline, how long giving the runs in flight back may take. */
const RELEASE_ON_STOP_MS = 3_000;

/** Limits the calls to Node-RED in flight, whatever the number of runs in flight. */
type CallNodeRed = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Runs waiting for a limited mashup's turn free their worker slot; at most this many per slot (RUN_CONCURRENCY) wait
 * in a process, beyond that they go back to the queue for the limiter's wait.
 */
const WAITING_RUNS_PER_SLOT = 4;
/** How long past the mashup timeout a limiter slot is held when its worker dies before releasing it. */
const LIMITER_HOLD_MARGIN_MS = 5_000;

/** What an attempt needs besides the run: the shared Node-RED semaphore, the mashup lookup and its limits. */
interface Calling {
  callNodeRed: CallNodeRed;
  mashupOf: (mashupId: string) => Promise<MashupTarget>;
  gate: MashupGate;
  /** Called when the run has to wait for its mashup's limits: true when it may wait without its worker slot. */
  onWait: () => boolean;
}

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
/** Heartbeats are not urgent (a lease lasts RUN_STALE_AFTER_MS): gathered longer, in larger statements. */
const HEARTBEAT_BATCH = { maxSize: 1_000, maxWaitMs: 50, maxInFlight: 2 };

export interface RunProcessor {
  /** Works one run; safe to call twice for the same id: only the worker that claims the run proceeds. */
  process(runId: string): Promise<void>;
  /**
   * Shutdown: claims nothing more, lets the runs in flight finish for up to `timeoutMs`, then aborts the rest and
   * gives them back to the queue with their attempts.
   */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Works runs: claim, call the mashup, store the computation, its evidences and (for a closed window) the guarantee
 * point in one transaction — or schedule a retry with backoff, or end the run as failed/error. Concurrent runs share
 * their database work: claims, control lookups and stores are batched, so a thousand runs a second cost a few
 * dozen commits rather than a thousand.
 */
export function createRunProcessor(
  deps: AppDeps,
  options: { limiter: MashupLimiter } = { limiter: createMemoryMashupLimiter() },
): RunProcessor {
  const { engine } = deps.config;
  const mashupOf = createMashupDirectory(deps);
  const gate = createMashupGate(options.limiter, deps.log);
  const maxWaiting = engine.concurrency * WAITING_RUNS_PER_SLOT;
  let waitingCount = 0;
  // A claim brings the runs' controls and catalogs along, read by the same statement (their versions come from the
  // process's cache): one batch, one round trip.
  const claim = createMicroBatcher(async (ids: string[]): Promise<(Claimed | undefined)[]> => {
    const { runs, controls } = await claimRuns(deps.db, ids, engine.staleAfterMs);
    let loaded: { found: Map<string, RunContext> } | { error: Error };
    try {
      loaded = { found: await runContextsOfControls(deps.db, controls) };
    } catch (error) {
      // The runs are claimed: each ends with this error (released when the database is away) like any failed run.
      loaded = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    const claimed = new Map(
      runs.map((run) => [
        run.id,
        "error" in loaded ? { run, contextError: loaded.error } : { run, context: loaded.found.get(run.controlId) },
      ]),
    );
    return ids.map((id) => claimed.get(id));
  }, BATCH);
  const store = createMicroBatcher((items: StoreItem[]) => storeResults(deps, items), BATCH);
  const touch = createMicroBatcher(async (runs: RunClaim[]) => {
    const held = await touchRunHeartbeats(deps.db, runs);
    return runs.map((run) => held.has(run.id));
  }, HEARTBEAT_BATCH);
  const callNodeRed = createSemaphore(engine.mashupConcurrency);
  const leaseKeeper = createLeaseKeeper(deps, touch);

  const leases = new Set<RunLease>();
  let isStopping = false;

  /** Claims a run; a database that cannot be reached does not lose the delivery: it comes again shortly. */
  async function claimOrRedeliver(runId: string): Promise<Claimed | undefined> {
    try {
      return await claim(runId);
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw error;
      deps.log.warn({ err: error, runId }, "database unreachable while claiming a run: delivering it again shortly");
      await deps.runQueue.enqueue([runId], CLAIM_RETRY_MS);
      return undefined;
    }
  }

  async function work(claimed: Claimed, lease: RunLease, onWait: () => boolean): Promise<void> {
    const { run, context, contextError } = claimed;
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
      const outcome = await attempt(deps, { callNodeRed, mashupOf, gate, onWait }, run, terms, lease.signal);
      // Lost: another worker may hold the run now, so nothing of this attempt is written. Given up: handed back.
      if (lease.isLost) return;
      if (lease.isGivenUp) return await releaseAtOnce(deps, run);
      if (outcome.kind === "evidences") await store({ run, context, terms, outcome });
      else if (outcome.kind === "failed") await endRun(deps, run, "failed", outcome.error);
      else if (outcome.kind === "unavailable") await waitForNodeRed(deps, run, outcome.error);
      else await retryOrGiveUp(deps, run, outcome.error);
    } catch (error) {
      if (lease.isLost) return;
      // Too many runs wait for their mashups' limits in this process already: this one waits in the queue.
      if (error instanceof MashupLimitedError) return await deferRun(deps, run, error.retryInMs);
      // The database failed under the run (or the worker is stopping): not the flow's fault, so the attempt is
      // given back and the run requeued at once.
      if (lease.isGivenUp || isDatabaseUnreachable(error)) return await releaseAtOnce(deps, run);
      deps.log.error({ err: error, runId: run.id }, "run processing failed unexpectedly");
      await retryOrGiveUp(deps, run, `Internal error: ${(error as Error).message}`);
    }
  }

  return {
    async process(runId) {
      if (isStopping) return;
      const claimed = await claimOrRedeliver(runId);
      if (!claimed) {
        deps.log.debug({ runId }, "run not claimable (taken, finished or not due)");
        return;
      }
      const { run } = claimed;
      if (run.attempts > run.maxAttempts) {
        await endRun(deps, run, "error", `Gave up after ${run.maxAttempts} attempts (the last worker stopped mid-run)`);
        return;
      }
      const lease = leaseKeeper.hold(run);
      leases.add(lease);
      // A run that must wait for its mashup's limits hands its worker slot back (the queue delivers the next run) and
      // goes on here once its turn comes; the lease is held meanwhile, so shutdown and the reaper still see it.
      let isWaiting = false;
      let freeSlot: () => void = () => undefined;
      const slotFreed = new Promise<void>((resolve) => (freeSlot = resolve));
      const onWait = () => {
        if (waitingCount >= maxWaiting) return false;
        isWaiting = true;
        waitingCount += 1;
        freeSlot();
        return true;
      };
      const done = work(claimed, lease, onWait).finally(() => {
        lease.end();
        leases.delete(lease);
        if (isWaiting) waitingCount -= 1;
      });
      await Promise.race([done, slotFreed]);
    },
    async stop(timeoutMs) {
      isStopping = true;
      const deadline = Date.now() + timeoutMs;
      while (leases.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (leases.size === 0) return;
      deps.log.info({ runs: leases.size }, "shutdown deadline reached: giving the runs in flight back to the queue");
      for (const lease of leases) lease.giveUp();
      const releasedBy = Date.now() + RELEASE_ON_STOP_MS;
      while (leases.size > 0 && Date.now() < releasedBy) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

async function attempt(
  deps: AppDeps,
  calling: Calling,
  run: ClaimedRun,
  terms: EvaluationTerms,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  if (!terms.mashupId) return { kind: "failed", error: "The control has no mashup to evaluate it" };
  let mashup: MashupTarget;
  try {
    mashup = await calling.mashupOf(terms.mashupId);
  } catch (error) {
    if (error instanceof NotFoundError)
      return { kind: "failed", error: `Mashup ${terms.mashupId} does not exist in Node-RED` };
    // The flow list could not be read: Node-RED is down or restarting.
    if (error instanceof AppError && error.status === 503) return { kind: "unavailable", error: error.message };
    if (error instanceof MashupUnreachableError)
      return { kind: error.isTimeout ? "retry" : "unavailable", error: error.message };
    throw error;
  }
  const outcome = await callMashup(deps, calling, { run, terms, mashupId: terms.mashupId, mashup, signal });
  return outcome.kind === "failed" && outcome.status === 404
    ? notLoadedOrFailed(deps, run, terms.mashupId, outcome.error)
    : outcome;
}

/**
 * A 404 from Node-RED for a flow its flow list has means the flow is not loaded yet (Node-RED has just started or is
 * deploying), within a grace period after the run first found Node-RED away; a flow gone from the list, or a 404
 * that outlasts the grace, is the flow's real answer.
 */
async function notLoadedOrFailed(
  deps: AppDeps,
  run: ClaimedRun,
  mashupId: string,
  error: string,
): Promise<AttemptOutcome> {
  if (nodeRedWaitedMs(run) > FLOW_LOAD_GRACE_MS) return { kind: "failed", error };
  try {
    await getMashup(deps, mashupId, { isFresh: true });
  } catch (lookupError) {
    if (lookupError instanceof NotFoundError)
      return { kind: "failed", error: `Mashup ${mashupId} no longer exists in Node-RED` };
    return { kind: "unavailable", error: (lookupError as Error).message };
  }
  return { kind: "unavailable", error: `Node-RED has not loaded the flow yet (${error})` };
}

async function callMashup(
  deps: AppDeps,
  calling: Calling,
  call: { run: ClaimedRun; terms: EvaluationTerms; mashupId: string; mashup: MashupTarget; signal: AbortSignal },
): Promise<AttemptOutcome> {
  const { run, terms, mashupId, mashup, signal } = call;
  const { mashupTimeoutMs } = deps.config.engine;
  let response;
  // The mashup's own limits first (waiting there holds no Node-RED call slot), then the process's calls in flight.
  const endCall = await calling.gate.acquire(mashupId, mashup.limits, {
    holdMs: mashupTimeoutMs + LIMITER_HOLD_MARGIN_MS,
    signal,
    onWait: calling.onWait,
  });
  // Signed once the call may go, so a long wait for the limits does not eat into the callback token's life.
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
    // The reference's names for the same, so status-storer flows written for it find their group and callback.
    computationGroup: run.id,
    backendUrl: `${deps.config.internalUrl}/api/v1/computations/bulk`,
  };
  try {
    response = await calling.callNodeRed(() =>
      deps.nodeRed.invokeMashup({ path: mashup.url, body, timeoutMs: mashupTimeoutMs, signal }),
    );
  } catch (error) {
    // Refused or reset: Node-RED is not there. A timeout reached a Node-RED that did not answer in time: a real try.
    if (error instanceof MashupUnreachableError)
      return { kind: error.isTimeout ? "retry" : "unavailable", error: error.message };
    throw error;
  } finally {
    endCall();
  }
  // 502/503: a proxy in front of a Node-RED that is away, or Node-RED itself not ready.
  if (response.status === 502 || response.status === 503)
    return { kind: "unavailable", error: `Node-RED answered ${response.status}: ${excerpt(response.body)}` };
  if (response.status >= 500)
    return { kind: "retry", error: `The mashup answered ${response.status}: ${excerpt(response.body)}` };
  if (response.status >= 400)
    return {
      kind: "failed",
      status: response.status,
      error: `The mashup refused the request (${response.status}): ${excerpt(response.body)}`,
    };
  const parsed = parseFlowResult(response.body);
  if (parsed.isValid) return { kind: "evidences", flowValue: parsed.value, evidences: parsed.evidences };
  const bulk = await findBulkState(deps.db, run.id);
  if (response.status === 202 || bulk.itemCount > 0 || bulk.isDone) return awaitBulk(deps, run, signal);
  return { kind: "failed", error: parsed.problem };
}

/** A status-storer style flow answers at once and posts its items to /computations/bulk until `done: true`. */
async function awaitBulk(deps: AppDeps, run: ClaimedRun, signal: AbortSignal): Promise<AttemptOutcome> {
  const deadline = Date.now() + deps.config.engine.mashupTimeoutMs;
  while (Date.now() < deadline && !signal.aborted) {
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
