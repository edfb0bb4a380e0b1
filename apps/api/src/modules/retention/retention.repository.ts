import type { RetentionCategory } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/*
 * Retention reaches into the tables of several modules (runs, computations, evidences, conversations, sessions,
 * audit_log) on purpose: pruning is one policy over all of them, and every statement here deletes one bounded batch
 * in its own short transaction.
 */

export interface RetentionSettingRow {
  category: RetentionCategory;
  keepDays: number | null;
  updatedAt: string | null;
}

export async function listRetentionSettings(db: Queryable): Promise<RetentionSettingRow[]> {
  const result = await db.query<RetentionSettingRow>(
    `select category, keep_days as "keepDays", updated_at as "updatedAt" from retention_settings order by category`,
  );
  return result.rows;
}

/** Locks the settings until the transaction ends (for the audit row's "before"). */
export async function listRetentionSettingsForUpdate(db: Queryable): Promise<RetentionSettingRow[]> {
  const result = await db.query<RetentionSettingRow>(
    `select category, keep_days as "keepDays", updated_at as "updatedAt" from retention_settings order by category for update`,
  );
  return result.rows;
}

export async function updateRetentionSetting(
  db: Queryable,
  input: { category: RetentionCategory; keepDays: number | null; updatedBy: string; now: Date },
): Promise<void> {
  await db.query(`update retention_settings set keep_days = $2, updated_by = $3, updated_at = $4 where category = $1`, [
    input.category,
    input.keepDays,
    input.updatedBy,
    input.now,
  ]);
}

export interface RetentionJobRow {
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastPruned: Record<string, number>;
}

export async function findRetentionJob(db: Queryable): Promise<RetentionJobRow> {
  const result = await db.query<RetentionJobRow>(
    `select last_started_at as "lastStartedAt", last_finished_at as "lastFinishedAt", last_pruned as "lastPruned"
       from retention_job where id`,
  );
  return result.rows[0] ?? { lastStartedAt: null, lastFinishedAt: null, lastPruned: {} };
}

/**
 * Takes the pruning lease when nobody holds a live one and (unless `dueBefore` is null) the last run started before
 * `dueBefore`. One atomic update, so of several processes exactly one gets it.
 */
export async function acquireRetentionLease(
  db: Queryable,
  input: { holder: string; now: Date; leaseUntil: Date; dueBefore: Date | null },
): Promise<boolean> {
  const result = await db.query(
    `update retention_job set lease_holder = $1, lease_expires_at = $3, last_started_at = $2
      where id and (lease_expires_at is null or lease_expires_at <= $2)
        and ($4::timestamptz is null or last_started_at is null or last_started_at <= $4)`,
    [input.holder, input.now, input.leaseUntil, input.dueBefore],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function renewRetentionLease(db: Queryable, holder: string, leaseUntil: Date): Promise<void> {
  await db.query(`update retention_job set lease_expires_at = $2 where id and lease_holder = $1`, [holder, leaseUntil]);
}

export async function finishRetentionJob(
  db: Queryable,
  input: { holder: string; now: Date; pruned: Record<string, number> | null },
): Promise<void> {
  await db.query(
    `update retention_job set lease_holder = null, lease_expires_at = null,
            last_finished_at = case when $3::jsonb is null then last_finished_at else $2 end,
            last_pruned = coalesce($3::jsonb, last_pruned)
      where id and lease_holder = $1`,
    [input.holder, input.now, input.pruned === null ? null : JSON.stringify(input.pruned)],
  );
}

/**
 * Deletes up to `limit` finished runs created before `cutoff` whose computation no point names (their computations,
 * evidences and bulk items go with them). A run whose computation a point names is part of the record and stays; a
 * re-run whose window already had a point (its computation's point_id is the earlier point) does not.
 */
export async function deleteExpiredRunsBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from runs where id in (
       select r.id from runs r
        where r.created_at < $1 and r.status not in ('queued', 'running')
          and not exists (
            select 1 from computations c join points p on p.computation_id = c.id where c.run_id = r.id)
        order by r.created_at limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` run batches created before `cutoff` that no run belongs to any more. */
export async function deleteEmptyRunBatchesBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from run_batches where id in (
       select b.id from run_batches b
        where b.created_at < $1 and not exists (select 1 from runs r where r.batch_id = b.id)
        order by b.created_at limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/**
 * The next computations completed before `cutoff` whose detail to prune, oldest first, up to about `limit` evidences
 * (always at least one computation), locked until the transaction ends.
 */
export async function lockComputationsToPrune(
  db: Queryable,
  input: { cutoff: Date; limit: number },
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `with candidates as (
       select id, sum(greatest(evidence_count, 1)) over (order by completed_at, id) as running
         from computations
        where completed_at < $1 and detail_pruned_at is null and status <> 'pending'
        order by completed_at, id limit $2)
     select c.id from computations c join candidates k on k.id = c.id
      where k.running <= $2 or k.running = (select min(running) from candidates)
      for update of c skip locked`,
    [input.cutoff, input.limit],
  );
  return result.rows.map((row) => row.id);
}

/**
 * Removes these computations' evidences and raw flow output and records when (`detail_pruned_at`); their counts,
 * compliance, evidence digest and point stay. Answers how many evidences went.
 */
export async function pruneComputationDetail(db: Queryable, ids: string[], now: Date): Promise<number> {
  const removed = await db.query(`delete from evidences where computation_id = any($1::uuid[])`, [ids]);
  await db.query(`update computations set detail_pruned_at = $2, flow_value = null where id = any($1::uuid[])`, [
    ids,
    now,
  ]);
  return removed.rowCount ?? 0;
}

/** Deletes up to `limit` audit rows older than the audit_log period, through the one path the trigger allows. */
export async function pruneAuditLogBatch(db: Queryable, limit: number): Promise<number> {
  const result = await db.query<{ removed: number }>(`select prune_audit_log($1) as removed`, [limit]);
  return result.rows[0]?.removed ?? 0;
}

/** Deletes up to `limit` conversations (with their messages) whose last activity is before `cutoff`. */
export async function deleteExpiredConversationsBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from conversations where id in (
       select id from conversations where updated_at < $1 order by updated_at limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` sessions that ended (revoked or expired) before `cutoff`, with their refresh tokens. */
export async function deleteEndedSessionsBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from sessions where id in (
       select id from sessions where coalesce(revoked_at, expires_at) < $1 order by coalesce(revoked_at, expires_at) limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` refresh tokens that expired before `now`: presented again, they are refused either way. */
export async function deleteExpiredRefreshTokensBatch(db: Queryable, now: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from session_refresh_tokens where token_hash in (
       select token_hash from session_refresh_tokens where expires_at < $1 limit $2)`,
    [now, limit],
  );
  return result.rowCount ?? 0;
}

/**
 * Deletes up to `limit` events dispatched before `cutoff`, keeping those a webhook delivery refers to (its log names
 * them) and the newest of each kind per catalog, control and scope: the stale sweep, the run.error rule and the
 * flapping guard read the last event to decide the next, and would otherwise announce a transition again.
 */
export async function deleteDispatchedEventsBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from event_outbox where id in (
       select o.id from event_outbox o
        where o.dispatched_at < $1
          and not exists (select 1 from webhook_deliveries d where d.event_id = o.id)
          and exists (select 1 from event_outbox newer
                       where newer.control_id is not distinct from o.control_id and newer.catalog_id = o.catalog_id
                         and newer.scope_key = o.scope_key and newer.type = o.type and newer.seq > o.seq)
        order by o.dispatched_at limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/** Deletes up to `limit` framework import jobs that finished (succeeded or failed) before `cutoff`. */
export async function deleteFinishedImportJobsBatch(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from framework_import_jobs where id in (
       select id from framework_import_jobs
        where status in ('succeeded', 'failed') and finished_at < $1 order by finished_at limit $2)`,
    [cutoff, limit],
  );
  return result.rowCount ?? 0;
}

/** The tables of each category (sizes add up over them) and the one whose rows are counted. */
export const CATEGORY_TABLES = {
  runs: { tables: ["runs", "run_batches", "run_bulk_items", "computations"], counted: "runs" },
  computation_detail: { tables: ["evidences"], counted: "evidences" },
  audit_log: { tables: ["audit_log"], counted: "audit_log" },
  conversations: { tables: ["conversations", "messages"], counted: "conversations" },
  sessions: { tables: ["sessions", "session_refresh_tokens"], counted: "sessions" },
  evidence_packs: { tables: ["evidence_packs"], counted: "evidence_packs" },
  event_outbox: { tables: ["event_outbox"], counted: "event_outbox" },
  import_jobs: { tables: ["framework_import_jobs"], counted: "framework_import_jobs" },
  points: { tables: ["points"], counted: "points" },
} as const;

export type CountedTable = (typeof CATEGORY_TABLES)[keyof typeof CATEGORY_TABLES]["counted"];

// Literal statements: a table name is never put into SQL from a value.
const EXACT_COUNT_SQL: Record<CountedTable, string> = {
  runs: "select count(*)::bigint as count from runs",
  evidences: "select count(*)::bigint as count from evidences",
  audit_log: "select count(*)::bigint as count from audit_log",
  conversations: "select count(*)::bigint as count from conversations",
  sessions: "select count(*)::bigint as count from sessions",
  evidence_packs: "select count(*)::bigint as count from evidence_packs",
  event_outbox: "select count(*)::bigint as count from event_outbox",
  framework_import_jobs: "select count(*)::bigint as count from framework_import_jobs",
  points: "select count(*)::bigint as count from points",
};

/** On-disk size (with indexes and TOAST) and the planner's row estimate (-1: never analysed) of each table. */
export async function tableStatistics(
  db: Queryable,
  tables: readonly string[],
): Promise<Map<string, { sizeBytes: number; estimatedRows: number }>> {
  const result = await db.query<{ name: string; sizeBytes: number; estimatedRows: number }>(
    `select c.relname as name, pg_total_relation_size(c.oid)::bigint as "sizeBytes", c.reltuples::bigint as "estimatedRows"
       from pg_class c where c.oid = any($1::regclass[])`,
    [tables],
  );
  return new Map(result.rows.map((row) => [row.name, { sizeBytes: row.sizeBytes, estimatedRows: row.estimatedRows }]));
}

export async function countRows(db: Queryable, table: CountedTable): Promise<number> {
  const result = await db.query<{ count: number }>(EXACT_COUNT_SQL[table]);
  return result.rows[0]?.count ?? 0;
}
