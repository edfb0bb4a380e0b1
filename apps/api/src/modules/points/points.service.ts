import { randomUUID } from "node:crypto";
import type { ChainVerification, ComplianceResult, Page, Point, PointListQuery } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { requireControl } from "../controls/controls.service.ts";
import { evidenceDigest, type NormalizedEvidence } from "../../domain/evaluation.ts";
import { pointHash } from "./point-hash.ts";
import {
  findChainHead,
  findPointsForWindows,
  listChain,
  listEvidenceRowsForDigest,
  listPoints,
  type NewPoint,
  type PointSource,
} from "./points.repository.ts";

/** A point to append: from the engine's computation, or a registry state (which may not name one of ours). */
export interface PointInput {
  controlId: string;
  catalogId: string;
  scope: Record<string, unknown>;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  value: number | null;
  threshold: number;
  result: ComplianceResult;
  computationId: string | null;
  evidenceDigest: string | null;
}

export interface PlannedPoints {
  /** The point id of each input, in order: a new point, or the one its window already has. */
  ids: string[];
  /** The new points, in chain order, each linked to the one before it in its control's chain. */
  points: NewPoint[];
  /** The chains' new heads, to store with the points. */
  heads: { controlId: string; head: string; added: number }[];
}

/**
 * Plans the guarantee points of closed windows on chains the caller has locked (`heads`, read under the lock in the
 * same transaction): each new point links to the one before it in its control's chain, and a window that already
 * has a point of this source keeps it (points are immutable facts). Engine and registry points share the chains.
 * Writes nothing; the caller stores points and heads.
 */
export async function planPoints(
  tx: Queryable,
  lockedHeads: Map<string, { head: string | null; length: number }>,
  inputs: PointInput[],
  source: PointSource,
  /** The windows' existing points, when the caller read them under the lock already. */
  knownExisting?: Map<string, string>,
): Promise<PlannedPoints> {
  if (inputs.length === 0) return { ids: [], points: [], heads: [] };
  const existing = knownExisting ? new Map(knownExisting) : await findPointsForWindows(tx, inputs, source);
  const windowKey = (input: PointInput) =>
    `${input.controlId}|${input.scopeKey}|${new Date(input.windowStart).getTime()}`;
  const heads = new Map(lockedHeads);
  const added = new Map<string, number>();
  const newPoints: NewPoint[] = [];
  const ids = inputs.map((input) => {
    const key = windowKey(input);
    const known = existing.get(key);
    if (known) return known;
    const head = heads.get(input.controlId) ?? { head: null, length: 0 };
    const point = { ...input, id: randomUUID(), source };
    const hash = pointHash(head.head, point);
    newPoints.push({ ...point, prevHash: head.head, hash });
    heads.set(input.controlId, { head: hash, length: head.length + 1 });
    added.set(input.controlId, (added.get(input.controlId) ?? 0) + 1);
    existing.set(key, point.id);
    return point.id;
  });
  return {
    ids,
    points: newPoints,
    heads: [...added].map(([controlId, count]) => ({ controlId, head: heads.get(controlId)!.head!, added: count })),
  };
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
