import type { MashupLimits, SetMashupLimitsBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { findMashupLimits, upsertMashupLimits } from "./mashup-limits.repository.ts";
import { getMashup } from "./mashups.service.ts";

const unlimited = (mashupId: string): MashupLimits => ({
  mashupId,
  maxConcurrency: null,
  ratePerSecond: null,
  updatedAt: null,
});

/** A mashup's limits (nulls when it has none). Read by the engine for every mashup it calls, by primary key. */
export async function getMashupLimits(deps: Pick<AppDeps, "db">, mashupId: string): Promise<MashupLimits> {
  return (await findMashupLimits(deps.db, mashupId)) ?? unlimited(mashupId);
}

/**
 * Sets a mashup's limits (both null: no limit), audited. The flow must exist in Node-RED (404 otherwise); workers
 * pick the change up within a few seconds (they cache each mashup's limits that long).
 */
export async function setMashupLimits(
  deps: AppDeps,
  actor: Actor,
  mashupId: string,
  body: SetMashupLimitsBody,
): Promise<MashupLimits> {
  await getMashup(deps, mashupId);
  return withTransaction(deps.db, async (tx) => {
    const before = (await findMashupLimits(tx, mashupId)) ?? unlimited(mashupId);
    const after = (await upsertMashupLimits(tx, { mashupId, ...body, updatedBy: actor.userId })) ?? unlimited(mashupId);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "mashup_limits",
      resourceId: mashupId,
      before,
      after,
    });
    return after;
  });
}
