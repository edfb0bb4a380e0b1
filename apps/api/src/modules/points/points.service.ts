import type { ChainVerification, Page, Point, PointListQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireControl } from "../controls/index.ts";
import { evidenceDigest, type NormalizedEvidence } from "../../domain/evaluation.ts";
import { pointHash } from "./point-hash.ts";
import { findChainHead, listChain } from "./point-chain.repository.ts";
import { listEvidenceRowsForDigest, listPointWindowStarts, listPoints } from "./points.repository.ts";

/** For the scheduler: start times (epoch ms) of the windows of one control and scope that have an engine point. */
export async function listWindowStartsWithPoints(
  deps: Pick<AppDeps, "db">,
  input: { controlId: string; scopeKey: string; from: string; to: string },
): Promise<Set<number>> {
  return listPointWindowStarts(deps.db, input);
}

export async function listAllPoints(deps: AppDeps, query: PointListQuery): Promise<Page<Point>> {
  return listPoints(deps.db, query);
}

/**
 * Walks a control's chain: every point must link to the hash of the one before, hash to its stored value, and its
 * computation's stored evidences must still digest to what the point recorded. Reports the first break.
 */
export async function verifyPointChain(deps: AppDeps, controlId: string): Promise<ChainVerification> {
  const verification = await walkPointChain(deps, controlId);
  deps.metrics.chainVerifications.inc({ result: verification.isIntact ? "intact" : "broken" });
  return verification;
}

async function walkPointChain(deps: AppDeps, controlId: string): Promise<ChainVerification> {
  await requireControl(deps.db, controlId);
  const chain = await listChain(deps.db, controlId);
  const report = (firstBrokenPointId: string | null, problem: string | null): ChainVerification => ({
    controlId,
    isIntact: problem === null,
    pointCount: chain.length,
    checkedAt: deps.now().toISOString(),
    firstBrokenPointId,
    problem,
  });
  let previous: string | null = null;
  for (const point of chain) {
    if (point.prevHash !== previous)
      return report(point.id, "The point does not link to the point before it (a point was removed or reordered)");
    if (pointHash(point.prevHash, point) !== point.hash)
      return report(point.id, "The point's stored fields no longer match its hash (it was edited)");
    if (point.computationId && point.evidenceDigest) {
      const evidences = (await listEvidenceRowsForDigest(deps.db, point.computationId)) as NormalizedEvidence[];
      const normalized = evidences.map((evidence) => ({
        ...evidence,
        from: toIso(evidence.from),
        to: toIso(evidence.to),
      }));
      if (evidenceDigest(normalized) !== point.evidenceDigest)
        return report(point.id, "The evidence behind the point was changed");
    }
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

function toIso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
