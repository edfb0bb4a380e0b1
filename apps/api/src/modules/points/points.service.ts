import { randomUUID } from "node:crypto";
import type { ChainVerification, ComplianceResult, Page, Point, PointListQuery } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { requireControl } from "../controls/controls.service.ts";
import { evidenceDigest, type NormalizedEvidence } from "../runs/evaluation.ts";
import { pointHash } from "./point-hash.ts";
import { findChainHead, findPointIdForWindow, moveChainHead, insertPoint, listChain, listEvidenceRowsForDigest, listPoints, lockControlChain } from "./points.repository.ts";

export interface EnginePointInput {
  controlId: string;
  catalogId: string;
  scope: Record<string, unknown>;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  value: number | null;
  threshold: number;
  result: ComplianceResult;
  computationId: string;
  evidenceDigest: string;
}

/**
 * Appends the guarantee point of a closed window to its control's hash chain, inside the caller's transaction.
 * A window that already has a point keeps it (points are immutable facts); its id is returned with isNew false.
 */
export async function appendEnginePoint(tx: Queryable, input: EnginePointInput): Promise<{ pointId: string; isNew: boolean }> {
  await lockControlChain(tx, input.controlId);
  const existing = await findPointIdForWindow(tx, input.controlId, input.scopeKey, input.windowStart);
  if (existing) return { pointId: existing, isNew: false };
  const prevHash = (await findChainHead(tx, input.controlId)).head;
  const point = { ...input, id: randomUUID(), source: "engine" };
  const hash = pointHash(prevHash, point);
  await insertPoint(tx, { ...point, prevHash, hash });
  await moveChainHead(tx, input.controlId, hash);
  return { pointId: point.id, isNew: true };
}

export async function listAllPoints(deps: AppDeps, query: PointListQuery): Promise<Page<Point>> {
  return listPoints(deps.db, query);
}

/**
 * Walks a control's chain: every point must link to the hash of the one before, hash to its stored value, and its
 * computation's stored evidences must still digest to what the point recorded. Reports the first break.
 */
export async function verifyPointChain(deps: AppDeps, controlId: string): Promise<ChainVerification> {
  await requireControl(deps.db, controlId);
  const chain = await listChain(deps.db, controlId);
  const report = (firstBrokenPointId: string | null, problem: string | null): ChainVerification => ({
    controlId, isIntact: problem === null, pointCount: chain.length, checkedAt: deps.now().toISOString(), firstBrokenPointId, problem,
  });
  let previous: string | null = null;
  for (const point of chain) {
    if (point.prevHash !== previous) return report(point.id, "The point does not link to the point before it (a point was removed or reordered)");
    if (pointHash(point.prevHash, point) !== point.hash) return report(point.id, "The point's stored fields no longer match its hash (it was edited)");
    if (point.computationId && point.evidenceDigest) {
      const evidences = (await listEvidenceRowsForDigest(deps.db, point.computationId)) as NormalizedEvidence[];
      const normalized = evidences.map((evidence) => ({ ...evidence, from: toIso(evidence.from), to: toIso(evidence.to) }));
      if (evidenceDigest(normalized) !== point.evidenceDigest) return report(point.id, "The evidence behind the point was changed");
    }
    previous = point.hash;
  }
  const recorded = await findChainHead(deps.db, controlId);
  if (recorded.head !== previous || recorded.length !== chain.length) {
    return report(null, `The chain ends before its recorded head (${recorded.length} points recorded, ${chain.length} found): the newest points were removed`);
  }
  return report(null, null);
}

function toIso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
