import { randomUUID } from "node:crypto";
import type { ComplianceResult } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { recordPointStateChanges } from "../events/index.ts";
import { CURRENT_HASH_SCHEME, pointHash } from "./point-hash.ts";
import {
  appendChainedPoints,
  findPointsForWindows,
  lockChainHeads as lockChainHeadRows,
  type ChainHead,
  type NewPoint,
  type PointSource,
} from "./point-chain.repository.ts";

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
  /** The control version the point was computed under, and that version's digest; the point's hash covers both. */
  controlVersion: number;
  versionDigest: string;
}

export interface AppendedPoints {
  /** The point id of each input, in order: a new point, or the one its window already has. */
  ids: string[];
  /** How many of them are new. */
  appendedCount: number;
}

interface PlannedPoints {
  ids: string[];
  /** The new points, in chain order, each linked to the one before it in its control's chain. */
  points: NewPoint[];
  /** The chains' new heads, to store with the points. */
  heads: { controlId: string; head: string; added: number }[];
}

/**
 * Locks the hash chains of these controls until the transaction ends and answers their heads, for appendPoints.
 * Engine and registry points share the chains, so every appender takes these locks (in control id order).
 */
export async function lockChainHeads(tx: Queryable, controlIds: string[]): Promise<Map<string, ChainHead>> {
  return lockChainHeadRows(tx, controlIds);
}

/**
 * Appends the guarantee points of closed windows to their controls' hash chains, which the caller has locked in this
 * transaction (`lockedHeads`: from lockChainHeads, or read under the same row locks). Each new point links to the one
 * before it in its control's chain; a window that already has a point of this source keeps it (points are immutable
 * facts), and a state change of a control's scope is written to the event outbox with it. `knownExisting` spares
 * the lookup of existing points when the caller read them under the lock already.
 */
export async function appendPoints(
  tx: Queryable,
  lockedHeads: Map<string, ChainHead>,
  inputs: PointInput[],
  source: PointSource,
  knownExisting?: Map<string, string>,
): Promise<AppendedPoints> {
  if (inputs.length === 0) return { ids: [], appendedCount: 0 };
  const existing = knownExisting ? new Map(knownExisting) : await findPointsForWindows(tx, inputs, source);
  const planned = planPoints(lockedHeads, existing, inputs, source);
  await appendChainedPoints(tx, planned.points, planned.heads);
  // A state change becomes an event in the point's own transaction: none is lost, none outlives a rollback.
  await recordPointStateChanges(
    tx,
    planned.points.map((point) => point.id),
  );
  return { ids: planned.ids, appendedCount: planned.points.length };
}

/** Hashes and links the new points in input order; `existing` (keyed `controlId|scopeKey|startMs`) grows as it goes. */
function planPoints(
  lockedHeads: Map<string, ChainHead>,
  existing: Map<string, string>,
  inputs: PointInput[],
  source: PointSource,
): PlannedPoints {
  const windowKey = (input: PointInput) =>
    `${input.controlId}|${input.scopeKey}|${new Date(input.windowStart).getTime()}`;
  const heads = new Map(lockedHeads);
  const added = new Map<string, number>();
  const newPoints: NewPoint[] = [];
  // Written to the millisecond (what timestamptz keeps of a JavaScript date), so the stored time hashes as written.
  const createdAt = new Date().toISOString();
  const ids = inputs.map((input) => {
    const key = windowKey(input);
    const known = existing.get(key);
    if (known) return known;
    const head = heads.get(input.controlId) ?? { head: null, length: 0 };
    const point = { ...input, id: randomUUID(), source, hashScheme: CURRENT_HASH_SCHEME, createdAt };
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

/** The engine point a window of a control's scope already has, if any (read under the chain lock to be final). */
export async function findEnginePointOfWindow(
  tx: Queryable,
  window: { controlId: string; scopeKey: string; windowStart: string },
): Promise<string | undefined> {
  const found = await findPointsForWindows(tx, [window], "engine");
  return found.values().next().value;
}
