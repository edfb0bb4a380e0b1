import type { Queryable } from "../../db/database.ts";
import { getControlsWithHistory, type ControlWithHistory } from "../controls/index.ts";
import { evaluationPlanOf, readPushTargetStamp, type EvaluationPlan } from "../evaluation/index.ts";
import type { WindowMemo } from "./push-target.ts";
import { perPool } from "../../lib/per-pool.ts";

/** What a push control's submissions are resolved against, with the stamp of the rows it was read from. */
export interface PushControl {
  context: ControlWithHistory;
  plan: EvaluationPlan;
  stamp: string;
  /** The windows of its recent submissions, for as long as this read is kept. */
  windows: WindowMemo;
  /** Read before this call (so possibly out of date), not by it. */
  isCached: boolean;
}

/**
 * How long a read is reused. Every write checks the stamp in its own statement, so this bounds memory and the age of
 * an error answer (a control archived elsewhere), never what is stored.
 */
const TTL_MS = 30_000;
/** A process never remembers more controls than this; past it the oldest go first. */
const MAX_ENTRIES = 2_000;

interface Entry {
  control: PushControl;
  expiresAt: number;
}

const cacheOf = perPool((_db: Queryable) => new Map<string, Entry>());

/**
 * A push control as read a moment ago, or read now. Issue 20: a burst of submissions to one control reads it once, not
 * five statements per submission. The stamp is read before the rows, so a change between the two reads makes the
 * stamp older than the rows and the next write refuses it (`stale`) rather than accepting older rows.
 */
export async function pushControlOf(
  db: Queryable,
  controlId: string,
  options: { isFresh?: boolean } = {},
): Promise<PushControl | undefined> {
  const cache = cacheOf(db);
  const now = Date.now();
  const cached = options.isFresh ? undefined : cache.get(controlId);
  if (cached && cached.expiresAt > now) return { ...cached.control, isCached: true };
  cache.delete(controlId);
  const stamp = await readPushTargetStamp(db, controlId);
  if (stamp === undefined) return undefined;
  const context = (await getControlsWithHistory(db, [controlId])).get(controlId);
  if (!context) return undefined;
  const plan = await evaluationPlanOf(db, context.control, context);
  const control = { context, plan, stamp, windows: new Map(), isCached: false };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(controlId, { control, expiresAt: now + TTL_MS });
  return control;
}

/** Forgets a control read before (its stamp no longer matches). */
export function forgetPushControl(db: Queryable, controlId: string): void {
  cacheOf(db).delete(controlId);
}
