import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { getControlsWithHistory, type ControlWithHistory } from "../controls/index.ts";
import { appendPoints, findEnginePointOfWindow, lockChainHeads } from "../points/index.ts";
import {
  findDecidingPushComputation,
  listClosedPushWindowsWithoutPoint,
  setComputationPoint,
  type OpenPushWindow,
} from "../evaluation/index.ts";
import { deleteExpiredPushKeys } from "./push-keys.repository.ts";

/** At most this many windows are closed per tick; the next tick takes the rest. */
const CLOSE_BATCH = 500;

export interface ClosedWindow {
  /** The window's point: appended now, or the one it already had. */
  pointId: string;
  /** The submission the point was made from, when this call appended it. */
  decidedBy: string | null;
}

/**
 * Makes a closed push window's point on the control's hash chain, from the submission that decides it (see
 * findDecidingPushComputation); the caller holds the chain lock (lockChainHeads) in `tx`. A window that already has a
 * point keeps it: points are immutable facts. Nothing happens for a draft (no version) or a window without evidence.
 */
export async function closePushWindow(
  tx: Queryable,
  context: ControlWithHistory,
  window: OpenPushWindow,
): Promise<ClosedWindow | undefined> {
  const { control, catalog } = context;
  if (control.status !== "finalized" || catalog.status !== "finalized") return undefined;
  const heads = await lockChainHeads(tx, [control.id]);
  const existing = await findEnginePointOfWindow(tx, window);
  if (existing) return { pointId: existing, decidedBy: null };
  const deciding = await findDecidingPushComputation(tx, window);
  if (!deciding) return undefined;
  const version = context.versions.find((candidate) => candidate.version === deciding.controlVersion);
  if (!version) return undefined;
  const appended = await appendPoints(
    tx,
    heads,
    [
      {
        controlId: control.id,
        catalogId: catalog.id,
        scope: deciding.scope,
        scopeKey: window.scopeKey,
        windowStart: window.windowStart,
        windowEnd: window.windowEnd,
        value: deciding.compliance,
        threshold: Number(version.threshold),
        result: deciding.result,
        computationId: deciding.id,
        evidenceDigest: deciding.evidenceDigest,
        controlVersion: version.version,
        versionDigest: version.digest,
      },
    ],
    "engine",
    new Map(),
  );
  const pointId = appended.ids[0]!;
  await setComputationPoint(tx, deciding.id, pointId);
  return { pointId, decidedBy: deciding.id };
}

/**
 * The maintenance tick's part for push controls: every closed window that received evidence while open gets its
 * point (one transaction per window, so one bad window cannot hold up the others), and idempotency keys older than a
 * day are forgotten.
 */
export async function closeDuePushWindows(deps: AppDeps): Promise<{ closed: number }> {
  await deleteExpiredPushKeys(deps.db);
  const windows = await listClosedPushWindowsWithoutPoint(deps.db, deps.now(), CLOSE_BATCH);
  if (windows.length === 0) return { closed: 0 };
  const contexts = await getControlsWithHistory(deps.db, [...new Set(windows.map((window) => window.controlId))]);
  let closed = 0;
  for (const window of windows) {
    const context = contexts.get(window.controlId);
    if (!context) continue;
    const result = await withTransaction(deps.db, (tx) => closePushWindow(tx, context, window));
    if (result?.decidedBy) closed += 1;
  }
  if (closed > 0) deps.metrics.pointsWritten.inc({ source: "engine" }, closed);
  return { closed };
}
