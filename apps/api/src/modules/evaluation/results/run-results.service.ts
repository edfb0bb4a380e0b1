import { withTransaction, type Queryable } from "../../../db/database.ts";
import type { AppDeps } from "../../../deps.ts";
import { evaluate, evidenceDigest, type NormalizedEvidence } from "../../../domain/evaluation.ts";
import type { RunContext } from "../../controls/index.ts";
import { appendPoints } from "../../points/index.ts";
import { recordRunEnded } from "../runs/run-metrics.service.ts";
import { findComputationIdsOfRuns, storeComputationResults } from "./run-results.repository.ts";
import type { EvaluationTerms } from "../worker/run-terms.ts";
import { finishRunsSucceededLockingChains, type ClaimedRun } from "../runs/runs.repository.ts";

/** The run's control, catalog and versions, read at claim time. */
export type { RunContext };

/** A mashup's answer, ready to store. */
export interface EvidenceOutcome {
  kind: "evidences";
  flowValue: unknown;
  evidences: NormalizedEvidence[];
}

/** A run whose attempt brought evidences, with its control, its catalog and the terms it was evaluated with. */
export interface StoreItem {
  run: ClaimedRun;
  context: RunContext;
  terms: EvaluationTerms;
  outcome: EvidenceOutcome;
}

/** What a run's evidences make: the evaluation, the digest, and whether a guarantee point follows. */
function summarize(item: StoreItem) {
  const { run, context, terms, outcome } = item;
  const evaluation = evaluate(outcome.evidences, terms.threshold);
  // Drafts and open windows are evaluated but make no guarantee point; a point always names its version.
  const makesPoint =
    !run.isProvisional &&
    context.control.status === "finalized" &&
    context.catalog.status === "finalized" &&
    terms.version !== null;
  return { evaluation, digest: evidenceDigest(outcome.evidences), makesPoint };
}

/**
 * Stores a batch of results in one transaction: the runs' end (which takes the controls' chain locks), the guarantee
 * points, then the computations and their evidences. Runs cancelled meanwhile are left out. If the batch fails as a
 * whole, each result is stored on its own, so one bad item cannot sink the others.
 */
export async function storeResults(deps: AppDeps, items: StoreItem[]): Promise<void[]> {
  try {
    recordStored(deps, await withTransaction(deps.db, (tx) => writeResults(tx, items)));
  } catch (error) {
    if (items.length === 1) throw error;
    deps.log.warn({ err: error, count: items.length }, "batched store failed; storing results one by one");
    for (const item of items) recordStored(deps, await withTransaction(deps.db, (tx) => writeResults(tx, [item])));
  }
  return items.map(() => undefined);
}

/** What a committed store did, for the metrics: the runs it ended and the points it appended. */
interface Stored {
  runs: ClaimedRun[];
  pointsAppended: number;
}

function recordStored(deps: AppDeps, stored: Stored): void {
  for (const run of stored.runs) recordRunEnded(deps, run, "succeeded");
  if (stored.pointsAppended > 0) deps.metrics.pointsWritten.inc({ source: "engine" }, stored.pointsAppended);
}

/**
 * Five round trips per batch, whatever its size: begin; end the runs, lock the chains they extend and look up the
 * windows that already have a point; append the points and move the chain heads (the points module); store the
 * computations and their evidences; commit.
 */
async function writeResults(tx: Queryable, items: StoreItem[]): Promise<Stored> {
  const summarized = items.map((item) => ({ ...item, ...summarize(item) }));
  const pointCandidates = summarized.filter((item) => item.makesPoint);
  const chainIds = [...new Set(pointCandidates.map((item) => item.context.control.id))].sort();
  const windows = pointCandidates.map((item) => ({
    controlId: item.context.control.id,
    scopeKey: item.run.scopeKey,
    windowStart: item.run.windowStart,
  }));
  const locked = await finishRunsSucceededLockingChains(
    tx,
    items.map((item) => item.run),
    chainIds,
    windows,
  );
  const kept = summarized.filter((item) => locked.stillRunning.has(item.run.id));
  if (kept.length === 0) return { runs: [], pointsAppended: 0 };
  const computationIds = new Map(kept.map((item) => [item.run.id, item.run.computationId]));
  if (kept.some((item) => !item.run.computationId)) {
    for (const [runId, id] of await findComputationIdsOfRuns(
      tx,
      kept.map((item) => item.run.id),
    ))
      computationIds.set(runId, id);
  }
  const computationOf = (run: ClaimedRun) => computationIds.get(run.id)!;
  const pointItems = kept.filter((item) => item.makesPoint);
  const { ids: pointIds, appendedCount } = await appendPointsOf(tx, pointItems, computationOf, locked);
  const pointIdOfRun = new Map(pointItems.map((item, index) => [item.run.id, pointIds[index]!]));
  await storeComputationResults(tx, {
    computations: kept.map((item) => ({
      computationId: computationOf(item.run),
      flowValue: item.outcome.flowValue,
      counts: item.evaluation.counts,
      compliance: item.evaluation.compliance,
      result: item.evaluation.result,
      evidenceDigest: item.digest,
      controlVersion: item.terms.version,
      pointId: pointIdOfRun.get(item.run.id) ?? null,
    })),
    evidences: kept.map((item) => ({ computationId: computationOf(item.run), evidences: item.outcome.evidences })),
  });
  return { runs: kept.map((item) => item.run), pointsAppended: appendedCount };
}

/** The guarantee points of the items, appended to their controls' chains locked by the finishing statement. */
async function appendPointsOf(
  tx: Queryable,
  items: (StoreItem & ReturnType<typeof summarize>)[],
  computationOf: (run: ClaimedRun) => string,
  locked: Awaited<ReturnType<typeof finishRunsSucceededLockingChains>>,
): Promise<{ ids: string[]; appendedCount: number }> {
  const inputs = items.map(({ run, context, terms, evaluation, digest }) => ({
    controlId: context.control.id,
    catalogId: context.catalog.id,
    scope: run.scope,
    scopeKey: run.scopeKey,
    windowStart: run.windowStart,
    windowEnd: run.windowEnd,
    value: evaluation.compliance,
    threshold: terms.threshold,
    result: evaluation.result,
    computationId: computationOf(run),
    evidenceDigest: digest,
    controlVersion: terms.version!,
    versionDigest: terms.versionDigest!,
  }));
  // A concurrent batch appended to one of the chains after that statement's snapshot: its points are read again.
  const known = locked.isSnapshotStale ? undefined : locked.existing;
  return appendPoints(tx, locked.heads, inputs, "engine", known);
}
