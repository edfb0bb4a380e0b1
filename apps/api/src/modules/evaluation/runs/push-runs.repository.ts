import type { ComplianceResult } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import { queryPrepared } from "../../../db/prepared.ts";
import type { Evaluation, NormalizedEvidence } from "../../../domain/evaluation.ts";
import type { NewRun } from "./runs.repository.ts";

/**
 * The row versions of everything a push control's submissions are resolved against: the control, its catalog, its
 * scope sets and its versions. `xmin` changes with every update of a row, whichever code path made it, so a cached
 * read of these rows is still current exactly when this stamp is unchanged.
 */
const PUSH_TARGET_STAMP = `(select concat_ws(':', k.xmin::text, cat.xmin::text,
           (select string_agg(s.id::text || '@' || s.xmin::text, ',' order by s.id) from scope_sets s where s.control_id = k.id),
           (select string_agg(v.version::text || '@' || v.xmin::text, ',' order by v.version)
              from control_versions v where v.control_id = k.id))
      from controls k join catalogs cat on cat.id = k.catalog_id where k.id = $1)`;

/** The stamp of a control's push target (see PUSH_TARGET_STAMP); undefined when there is no such control. */
export async function readPushTargetStamp(db: Queryable, controlId: string): Promise<string | undefined> {
  const result = await db.query<{ stamp: string | null }>(`select ${PUSH_TARGET_STAMP} as stamp`, [controlId]);
  return result.rows[0]?.stamp ?? undefined;
}

/**
 * The statement of insertPushSubmission, fixed text: prepared once per connection (queryPrepared), so Postgres parses
 * and plans its CTEs once rather than for every submission (issue 20: planning was most of its server time).
 */
const INSERT_PUSH_SUBMISSION = `with current_target as (
     select 1 where ${PUSH_TARGET_STAMP} = $2
   ), kept_key as (
     insert into evidence_push_keys (owner_key, idempotency_key, control_id, body_digest, computation_id, result)
     select $18::text, $19::text, $1::uuid, $20::text, $9::uuid, $21::jsonb from current_target where $18::text is not null
     on conflict (owner_key, idempotency_key) do update
       set control_id = excluded.control_id, body_digest = excluded.body_digest,
           computation_id = excluded.computation_id, result = excluded.result, created_at = now()
       where evidence_push_keys.created_at <= now() - $22::int * interval '1 hour'
     returning 1
   ), go as (
     select 1 from current_target where $18::text is null or exists (select 1 from kept_key)
   ), inserted_run as (
     insert into runs (control_id, scope_set_id, scope, scope_key, window_start, window_end, is_provisional, trigger,
                       status, attempts, max_attempts, started_at, finished_at, duration_ms, requested_by)
     select $1::uuid, $3::uuid, $4::jsonb, $5::text, $6::timestamptz, $7::timestamptz, $8::boolean, 'push', 'succeeded', 1, 1,
            now(), now(), 0, $10::uuid
       from go
     returning id
   ), inserted_computation as (
     insert into computations (id, run_id, control_id, scope, scope_key, window_start, window_end, is_provisional,
                               status, flow_value, evidence_count, pass_count, fail_count, error_count,
                               not_applicable_count, compliance, result, evidence_digest, control_version, completed_at)
     select $9::uuid, id, $1::uuid, $4::jsonb, $5::text, $6::timestamptz, $7::timestamptz, $8::boolean, 'ready', $11::jsonb,
            n[1] + n[2] + n[3] + n[4], n[1], n[2], n[3], n[4], $13::numeric, $14::text, $15::text, $16::int, now()
       from inserted_run, (select $12::int[] as n) counts
     returning id
   ), inserted_evidences as (
     insert into evidences (computation_id, position, key, value, result, period_from, period_to)
     select c.id, x.position, x.key, x.value, x.result, x."from", x."to"
       from inserted_computation c,
            jsonb_to_recordset($17::jsonb) as x(position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)
   )
   select exists (select 1 from current_target) as "isCurrent", exists (select 1 from inserted_computation) as "isStored"`;

/** One evidence submission as stored: the run, its computation (ready) and its evidences. */
export interface PushSubmission {
  run: NewRun & { requestedBy: string | null };
  /** Chosen by the caller, so that the idempotency key's answer can name it in the same statement. */
  computationId: string;
  flowValue: unknown;
  counts: Evaluation["counts"];
  compliance: number | null;
  result: ComplianceResult;
  evidenceDigest: string;
  controlVersion: number | null;
  evidences: readonly NormalizedEvidence[];
  /** The stamp the caller resolved the submission against (readPushTargetStamp). */
  stamp: string;
  /** Kept with the submission: a retry with the same key and body answers `answer` again. */
  idempotency?: { ownerKey: string; idempotencyKey: string; bodyDigest: string; answer: unknown; ttlHours: number };
}

export type PushSubmissionOutcome = "stored" | "stale" | "key_taken";

/**
 * Stores a submission in one statement (issue 20: one round trip per submission): the run of trigger \`push\`, already
 * ended, its computation, ready, and its evidences, together with the idempotency key and its answer when there is
 * one. Nothing is stored when the push target changed since the caller read it (\`stale\`: read it again and retry) or
 * when the key is held by another submission younger than its time to live (\`key_taken\`: answer as a retry) — the
 * key's row is taken first, so of concurrent submissions with one key exactly one stores anything.
 */
export async function insertPushSubmission(db: Queryable, input: PushSubmission): Promise<PushSubmissionOutcome> {
  const { run, idempotency } = input;
  const result = await queryPrepared<{ isCurrent: boolean; isStored: boolean }>(db, INSERT_PUSH_SUBMISSION, [
    run.controlId,
    input.stamp,
    run.scopeSetId,
    JSON.stringify(run.scope),
    run.scopeKey,
    run.windowStart,
    run.windowEnd,
    run.isProvisional,
    input.computationId,
    run.requestedBy,
    input.flowValue === null || input.flowValue === undefined ? null : JSON.stringify(input.flowValue),
    [input.counts.pass, input.counts.fail, input.counts.error, input.counts.not_applicable],
    input.compliance,
    input.result,
    input.evidenceDigest,
    input.controlVersion,
    JSON.stringify(input.evidences),
    idempotency?.ownerKey ?? null,
    idempotency?.idempotencyKey ?? null,
    idempotency?.bodyDigest ?? null,
    idempotency ? JSON.stringify(idempotency.answer) : null,
    idempotency?.ttlHours ?? 0,
  ]);
  const row = result.rows[0]!;
  return row.isStored ? "stored" : row.isCurrent ? "key_taken" : "stale";
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
