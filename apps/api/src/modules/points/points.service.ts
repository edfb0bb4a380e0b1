import type { ChainVerification, Page, Point, PointListQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { checkControlVersions, requireControl } from "../controls/index.ts";
import { evidenceDigest, type NormalizedEvidence } from "../../domain/evaluation.ts";
import { withHandlingAt } from "../../domain/point-handling.ts";
import { isPointHashIntact } from "./point-hash.ts";
import { findChainHead, listChain, type ChainPoint } from "./point-chain.repository.ts";
import {
  countResultsOfControls,
  findComputationDetailState,
  listEvidenceRowsForDigest,
  listPointWindowStarts,
  listPoints,
} from "./points.repository.ts";

/** For the scheduler: start times (epoch ms) of the windows of one control and scope that have an engine point. */
export async function listWindowStartsWithPoints(
  deps: Pick<AppDeps, "db">,
  input: { controlId: string; scopeKey: string; from: string; to: string },
): Promise<Set<number>> {
  return listPointWindowStarts(deps.db, input);
}

/** For roll-ups: passing and failing points per control over a period (controls without points are absent). */
export async function countPointResults(
  deps: Pick<AppDeps, "db">,
  input: { controlIds: readonly string[]; from: string; to: string },
): Promise<Map<string, { passCount: number; failCount: number }>> {
  return countResultsOfControls(deps.db, input);
}

/** Points with their handling (acknowledged, accepted exception, comments) at the API's clock. */
export async function listAllPoints(deps: AppDeps, query: PointListQuery): Promise<Page<Point>> {
  const page = await listPoints(deps.db, query);
  return { ...page, items: withHandlingAt(page.items, deps.now()) };
}

/**
 * Walks a control's chain: its versions must still digest to what they recorded and link up; every point must link to
 * the hash of the one before, hash to its stored value under its own scheme (1 for points older than control
 * versions, 2 since), and its computation's stored evidences must still digest to what the point recorded. Where
 * retention pruned the evidences, the point's hash (which covers the digest) and the digest its computation kept stand
 * for them. Reports the first break.
 */
export async function verifyPointChain(deps: AppDeps, controlId: string): Promise<ChainVerification> {
  const verification = await walkPointChain(deps, controlId);
  deps.metrics.chainVerifications.inc({ result: verification.isIntact ? "intact" : "broken" });
  return verification;
}

async function walkPointChain(deps: AppDeps, controlId: string): Promise<ChainVerification> {
  await requireControl(deps.db, controlId);
  const [chain, versions] = await Promise.all([listChain(deps.db, controlId), checkControlVersions(deps, controlId)]);
  const pointsByHashScheme: Record<string, number> = {};
  for (const point of chain) pointsByHashScheme[point.hashScheme] = (pointsByHashScheme[point.hashScheme] ?? 0) + 1;
  const report = (firstBrokenPointId: string | null, problem: string | null): ChainVerification => ({
    controlId,
    isIntact: problem === null,
    pointCount: chain.length,
    pointsByHashScheme,
    versionCount: versions.versionCount,
    checkedAt: deps.now().toISOString(),
    firstBrokenPointId,
    problem,
  });
  if (versions.problem) {
    const firstAffected = chain.find((point) => (point.controlVersion ?? 0) >= (versions.brokenVersion ?? 0));
    return report(firstAffected?.id ?? null, versions.problem);
  }
  let previous: string | null = null;
  for (const point of chain) {
    const problem = await pointProblem(deps, point, previous);
    if (problem) return report(point.id, problem);
    previous = point.hash;
  }
  const recorded = await findChainHead(deps.db, controlId);
  if (recorded.head !== previous || recorded.length !== chain.length) {
    return report(
      null,
      `The chain ends before its recorded head (${recorded.length} points recorded, ${chain.length} found): the newest points were removed`,
    );
  }
  return report(null, null);
}

/** What is wrong with one point of the chain, if anything. */
async function pointProblem(deps: AppDeps, point: ChainPoint, previous: string | null): Promise<string | null> {
  if (point.prevHash !== previous)
    return "The point does not link to the point before it (a point was removed or reordered)";
  if (point.controlVersion !== null && !point.versionDigest)
    return `The point names control version ${point.controlVersion}, which does not exist`;
  if (!isPointHashIntact(point)) return "The point's stored fields no longer match its hash (it was edited)";
  if (!point.computationId || !point.evidenceDigest) return null;
  return evidenceProblem(deps, point.computationId, point.evidenceDigest);
}

/** What is wrong with the evidence behind a point, or null when it still matches the digest the point recorded. */
async function evidenceProblem(deps: AppDeps, computationId: string, digest: string): Promise<string | null> {
  const evidences = (await listEvidenceRowsForDigest(deps.db, computationId)) as NormalizedEvidence[];
  const detail = await findComputationDetailState(deps.db, computationId);
  if (detail?.detailPrunedAt) {
    // Pruning removes every evidence of a computation at once and keeps its digest; anything else is tampering.
    if (evidences.length > 0) return "Evidence was stored again after the computation's detail was pruned";
    if (detail.evidenceDigest !== digest) return "The evidence digest kept after pruning no longer matches the point";
    return null;
  }
  const normalized = evidences.map((evidence) => ({ ...evidence, from: toIso(evidence.from), to: toIso(evidence.to) }));
  return evidenceDigest(normalized) === digest ? null : "The evidence behind the point was changed";
}

function toIso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
