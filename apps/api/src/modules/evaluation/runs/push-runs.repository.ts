import { randomUUID } from "node:crypto";
import type { ComplianceResult } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import { queryPrepared } from "../../../db/prepared.ts";
import type { Evaluation, NormalizedEvidence } from "../../../domain/evaluation.ts";
import type { NewRun } from "./runs.repository.ts";

/**
 * The row versions of everything a push control's submissions are resolved against: the control, its catalog, its
 * scope sets and its versions. `xmin` changes with every update of a row, whichever code path made it, so a cached
 * read of these rows is still current exactly when this stamp is unchanged. `controlId` is the SQL expression naming
 * the control (a parameter or a column), never a value.
 */
function pushTargetStampOf(controlId: string): string {
  return `(select concat_ws(':', k.xmin::text, cat.xmin::text,
           (select string_agg(s.id::text || '@' || s.xmin::text, ',' order by s.id)
              from scope_sets s where s.control_id = k.id),
           (select string_agg(v.version::text || '@' || v.xmin::text, ',' order by v.version)
              from control_versions v where v.control_id = k.id))
      from controls k join catalogs cat on cat.id = k.catalog_id where k.id = ${controlId})`;
}

const READ_PUSH_TARGET_STAMP = `select ${pushTargetStampOf("$1")} as stamp`;

/** The stamp of a control's push target (see pushTargetStampOf); undefined when there is no such control. */
export async function readPushTargetStamp(db: Queryable, controlId: string): Promise<string | undefined> {
  const result = await db.query<{ stamp: string | null }>(READ_PUSH_TARGET_STAMP, [controlId]);
  return result.rows[0]?.stamp ?? undefined;
}

/**
 * The statement of insertPushSubmissions, fixed text: prepared once per connection (queryPrepared), so Postgres parses
 * and plans its CTEs once rather than for every batch (issue 20: planning was about half of its server time). `$1` is
 * the batch, one JSON object per submission with its position `i`; `$2` the idempotency keys' time to live in hours.
 * - current_target: the submissions whose control still has the stamp they were resolved against;
 * - kept_key: their keys taken (in key order, so two batches never wait on each other's keys in opposite orders); a key
 *   held by another submission younger than its time to live is not taken, and its submission stores nothing;
 * - the runs, computations and evidences of the rest. Rows of one batch are timed a microsecond apart in the batch's
 *   order, the order they were received in, which is what decides a window (findDecidingPushComputation).
 */
const INSERT_PUSH_SUBMISSIONS = `with input as materialized (
     select * from jsonb_to_recordset($1::jsonb) as x(
       i int, run_id uuid, computation_id uuid, control_id uuid, stamp text, scope_set_id uuid, scope jsonb,
       scope_key text, window_start timestamptz, window_end timestamptz, is_provisional boolean, requested_by uuid,
       flow_value jsonb, counts int[], compliance numeric, result text, evidence_digest text, control_version int,
       evidences jsonb, owner_key text, idempotency_key text, body_digest text, answer jsonb)
   ), current_target as materialized (
     select x.i
       from input x
       join (select d.control_id, ${pushTargetStampOf("d.control_id")} as stamp
               from (select distinct control_id from input) d) t on t.control_id = x.control_id
      where t.stamp = x.stamp
   ), kept_key as (
     insert into evidence_push_keys (owner_key, idempotency_key, control_id, body_digest, computation_id, result)
     select x.owner_key, x.idempotency_key, x.control_id, x.body_digest, x.computation_id, x.answer
       from input x join current_target t on t.i = x.i
      where x.owner_key is not null
      order by x.owner_key, x.idempotency_key
     on conflict (owner_key, idempotency_key) do update
       set control_id = excluded.control_id, body_digest = excluded.body_digest,
           computation_id = excluded.computation_id, result = excluded.result, created_at = now()
       where evidence_push_keys.created_at <= now() - $2::int * interval '1 hour'
     returning computation_id
   ), go as materialized (
     select x.*, now() + x.i * interval '1 microsecond' as received_at
       from input x join current_target t on t.i = x.i
      where x.owner_key is null or x.computation_id in (select computation_id from kept_key)
   ), inserted_run as (
     insert into runs (id, control_id, scope_set_id, scope, scope_key, window_start, window_end, is_provisional,
                       trigger, status, attempts, max_attempts, started_at, finished_at, duration_ms, requested_by,
                       queued_at, next_attempt_at, created_at)
     select run_id, control_id, scope_set_id, scope, scope_key, window_start, window_end, is_provisional, 'push',
            'succeeded', 1, 1, received_at, received_at, 0, requested_by, received_at, received_at, received_at
       from go order by i
     returning id
   ), inserted_computation as (
     insert into computations (id, run_id, control_id, scope, scope_key, window_start, window_end, is_provisional,
                               status, flow_value, evidence_count, pass_count, fail_count, error_count,
                               not_applicable_count, compliance, result, evidence_digest, control_version, completed_at,
                               created_at)
     select g.computation_id, r.id, g.control_id, g.scope, g.scope_key, g.window_start, g.window_end, g.is_provisional,
            'ready', g.flow_value, g.counts[1] + g.counts[2] + g.counts[3] + g.counts[4], g.counts[1], g.counts[2],
            g.counts[3], g.counts[4], g.compliance, g.result, g.evidence_digest, g.control_version, g.received_at,
            g.received_at
       from go g join inserted_run r on r.id = g.run_id
      order by g.i
     returning id
   ), inserted_evidences as (
     insert into evidences (computation_id, position, key, value, result, period_from, period_to)
     select c.id, e.position, e.key, e.value, e.result, e."from", e."to"
       from inserted_computation c
       join go g on g.computation_id = c.id,
            jsonb_to_recordset(g.evidences)
              as e(position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)
   )
   select x.i, t.i is not null as "isCurrent", c.id is not null as "isStored"
     from input x
     left join current_target t on t.i = x.i
     left join inserted_computation c on c.id = x.computation_id
    order by x.i`;

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
  idempotency?: { ownerKey: string; idempotencyKey: string; bodyDigest: string; answer: unknown };
}

export type PushSubmissionOutcome = "stored" | "stale" | "key_taken";

/**
 * Stores submissions in one statement (issue 20: one round trip and one commit for a batch of them): for each, the run
 * of trigger \`push\`, already ended, its computation, ready, and its evidences, together with the idempotency key and
 * its answer when there is one. Each submission has its own outcome: nothing of it is stored when its push target
 * changed since the caller read it (\`stale\`: read it again and retry) or when its key is held by another submission
 * younger than the key's time to live (\`key_taken\`: answer as a retry) — the key's row is taken first, so of
 * concurrent submissions with one key exactly one stores anything. One batch must not hold one key twice.
 */
export async function insertPushSubmissions(
  db: Queryable,
  inputs: readonly PushSubmission[],
  keyTtlHours: number,
): Promise<PushSubmissionOutcome[]> {
  const batch = inputs.map((input, index) => ({
    i: index + 1,
    run_id: randomUUID(),
    computation_id: input.computationId,
    control_id: input.run.controlId,
    stamp: input.stamp,
    scope_set_id: input.run.scopeSetId,
    scope: input.run.scope,
    scope_key: input.run.scopeKey,
    window_start: input.run.windowStart,
    window_end: input.run.windowEnd,
    is_provisional: input.run.isProvisional,
    requested_by: input.run.requestedBy,
    flow_value: input.flowValue ?? null,
    counts: [input.counts.pass, input.counts.fail, input.counts.error, input.counts.not_applicable],
    compliance: input.compliance,
    result: input.result,
    evidence_digest: input.evidenceDigest,
    control_version: input.controlVersion,
    evidences: input.evidences,
    owner_key: input.idempotency?.ownerKey ?? null,
    idempotency_key: input.idempotency?.idempotencyKey ?? null,
    body_digest: input.idempotency?.bodyDigest ?? null,
    answer: input.idempotency?.answer ?? null,
  }));
  const result = await queryPrepared<{ i: number; isCurrent: boolean; isStored: boolean }>(
    db,
    INSERT_PUSH_SUBMISSIONS,
    [JSON.stringify(batch), keyTtlHours],
  );
  return result.rows.map((row) => (row.isStored ? "stored" : row.isCurrent ? "key_taken" : "stale"));
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
