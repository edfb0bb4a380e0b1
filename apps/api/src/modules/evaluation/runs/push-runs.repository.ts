import type { ComplianceResult } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import type { NewRun } from "./runs.repository.ts";

/**
 * Inserts the run of an evidence submission (trigger `push`), already ended — nothing is left to call — with its
 * pending computation, which storeComputationResults completes in the same transaction.
 */
export async function insertPushRun(
  tx: Queryable,
  input: NewRun & { requestedBy: string | null },
): Promise<{ runId: string; computationId: string }> {
  const result = await tx.query<{ runId: string; computationId: string }>(
    `with inserted as (
       insert into runs (control_id, scope_set_id, scope, scope_key, window_start, window_end, is_provisional, trigger,
                         status, attempts, max_attempts, started_at, finished_at, duration_ms, requested_by)
       values ($1, $2, $3, $4, $5, $6, $7, 'push', 'succeeded', 1, 1, now(), now(), 0, $8)
       returning id, control_id, scope, scope_key, window_start, window_end, is_provisional
     )
     insert into computations (run_id, control_id, scope, scope_key, window_start, window_end, is_provisional)
     select id, control_id, scope, scope_key, window_start, window_end, is_provisional from inserted
     returning run_id as "runId", id as "computationId"`,
    [
      input.controlId,
      input.scopeSetId,
      JSON.stringify(input.scope),
      input.scopeKey,
      input.windowStart,
      input.windowEnd,
      input.isProvisional,
      input.requestedBy,
    ],
  );
  return result.rows[0]!;
}

/** A stored push computation that may decide its window's point. */
export interface PushComputation {
  id: string;
  scope: Record<string, unknown>;
  compliance: number | null;
  result: ComplianceResult;
  evidenceDigest: string;
  controlVersion: number;
}

/**
 * The submission that decides a closed window's point: the last one received while the window was open (stored
 * provisional), or — when none was — the first one received after it closed. Drafts' submissions (no version) never
 * decide.
 */
export async function findDecidingPushComputation(
  tx: Queryable,
  window: { controlId: string; scopeKey: string; windowStart: string },
): Promise<PushComputation | undefined> {
  const result = await tx.query<PushComputation>(
    `select c.id, c.scope, c.compliance, c.result, c.evidence_digest as "evidenceDigest",
            c.control_version as "controlVersion"
       from computations c join runs r on r.id = c.run_id
      where c.control_id = $1 and c.scope_key = $2 and c.window_start = $3 and r.trigger = 'push'
        and c.status = 'ready' and c.control_version is not null
      order by c.is_provisional desc,
               case when c.is_provisional then c.created_at end desc nulls last,
               c.created_at asc, r.created_at asc, c.id`,
    [window.controlId, window.scopeKey, window.windowStart],
  );
  return result.rows[0];
}

/** Links a computation to the point it made. */
export async function setComputationPoint(tx: Queryable, computationId: string, pointId: string): Promise<void> {
  await tx.query("update computations set point_id = $2 where id = $1 and point_id is null", [computationId, pointId]);
}

/** A closed window of a push control that received evidence while open and has no point yet. */
export interface OpenPushWindow {
  controlId: string;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
}

/**
 * Closed windows of finalized, unarchived push controls with submissions received while they were open and no point
 * yet, oldest first.
 */
export async function listClosedPushWindowsWithoutPoint(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<OpenPushWindow[]> {
  const result = await db.query<OpenPushWindow>(
    `select distinct c.control_id as "controlId", c.scope_key as "scopeKey", c.window_start as "windowStart",
            c.window_end as "windowEnd"
       from computations c
       join runs r on r.id = c.run_id and r.trigger = 'push'
       join controls k on k.id = c.control_id and k.kind = 'push' and k.status = 'finalized' and k.archived_at is null
       join catalogs cat on cat.id = k.catalog_id and cat.status = 'finalized' and cat.archived_at is null
      where c.is_provisional and c.point_id is null and c.status = 'ready' and c.window_end <= $1
        and c.control_version is not null
        and not exists (select 1 from points p where p.control_id = c.control_id and p.scope_key = c.scope_key
                          and p.window_start = c.window_start and p.source = 'engine')
      order by "windowStart", "controlId", "scopeKey"
      limit $2`,
    [now.toISOString(), limit],
  );
  return result.rows;
}
