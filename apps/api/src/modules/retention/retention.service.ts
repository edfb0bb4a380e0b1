import { randomUUID } from "node:crypto";
import {
  RETENTION_POLICY,
  type Retention,
  type RetentionCategory,
  type RetentionCategoryStatus,
  type UpdateRetentionBody,
} from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { expireEvidencePacks } from "../assessments/index.ts";
import { recordAudit } from "../audit/index.ts";
import {
  CATEGORY_TABLES,
  acquireRetentionLease,
  countRows,
  deleteDispatchedEventsBatch,
  deleteEmptyRunBatchesBatch,
  deleteEndedSessionsBatch,
  deleteExpiredConversationsBatch,
  deleteExpiredRefreshTokensBatch,
  deleteExpiredRunsBatch,
  deleteFinishedImportJobsBatch,
  findRetentionJob,
  finishRetentionJob,
  listRetentionSettings,
  listRetentionSettingsForUpdate,
  pruneAuditLogBatch,
  lockComputationsToPrune,
  pruneComputationDetail,
  renewRetentionLease,
  tableStatistics,
  updateRetentionSetting,
  type RetentionSettingRow,
} from "./retention.repository.ts";

/** Rows per delete: each batch is its own short transaction, so no lock is held for long. */
export const RETENTION_BATCH_SIZE = 5_000;
/** Conversations take their messages along, so fewer per batch. */
const CONVERSATION_BATCH_SIZE = 500;
/** Pruning runs at most once per this period. */
export const RETENTION_EVERY_MS = 24 * 3_600_000;
/** A pruner that died releases the job after this long; a live one renews it between batches. */
const LEASE_MS = 15 * 60_000;
/** Above this many rows (by the planner's estimate), sizes report the estimate instead of counting every row. */
const EXACT_COUNT_LIMIT = 100_000;

const ROW_LABELS: Record<RetentionCategory | "points", string> = {
  runs: "runs",
  computation_detail: "evidences",
  audit_log: "audit entries",
  conversations: "conversations",
  sessions: "sessions",
  evidence_packs: "evidence packs",
  event_outbox: "events",
  import_jobs: "import jobs",
  points: "points",
};

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** Each category's period, its row count and on-disk size, and what the last pruning removed (ADMIN). */
export async function getRetention(deps: Pick<AppDeps, "db">): Promise<Retention> {
  const settings = await listRetentionSettings(deps.db);
  const allTables = [...new Set(Object.values(CATEGORY_TABLES).flatMap((entry) => entry.tables))];
  const statistics = await tableStatistics(deps.db, allTables);
  const categories: RetentionCategoryStatus[] = [];
  for (const [category, { tables, counted }] of Object.entries(CATEGORY_TABLES) as [
    RetentionCategory | "points",
    (typeof CATEGORY_TABLES)[keyof typeof CATEGORY_TABLES],
  ][]) {
    const estimate = statistics.get(counted)?.estimatedRows ?? -1;
    const isRowCountEstimated = estimate >= EXACT_COUNT_LIMIT;
    const sizeBytes = tables.reduce((sum, table) => sum + (statistics.get(table)?.sizeBytes ?? 0), 0);
    const common = {
      rowCount: isRowCountEstimated ? estimate : await countRows(deps.db, counted),
      rowLabel: ROW_LABELS[category],
      isRowCountEstimated,
      sizeBytes,
    };
    if (category === "points") {
      categories.push({
        category,
        label: "Points",
        description: "The hash-chained compliance record. Always kept: pruning a point would break its chain.",
        keepDays: null,
        defaultKeepDays: null,
        minKeepDays: null,
        isEditable: false,
        updatedAt: null,
        ...common,
      });
      continue;
    }
    const setting = settings.find((row) => row.category === category);
    const policy = RETENTION_POLICY[category];
    categories.push({
      category,
      label: policy.label,
      description: policy.description,
      keepDays: setting?.keepDays ?? null,
      defaultKeepDays: policy.defaultKeepDays,
      minKeepDays: policy.minKeepDays,
      isEditable: true,
      updatedAt: setting?.updatedAt ?? null,
      ...common,
    });
  }
  const job = await findRetentionJob(deps.db);
  return {
    categories,
    lastRun: job.lastStartedAt
      ? { startedAt: job.lastStartedAt, finishedAt: job.lastFinishedAt, pruned: job.lastPruned }
      : null,
  };
}

/** Sets how long categories are kept (ADMIN); audited with the periods before and after. */
export async function updateRetention(deps: AppDeps, actor: Actor, body: UpdateRetentionBody): Promise<Retention> {
  await withTransaction(deps.db, async (tx) => {
    const before = await listRetentionSettingsForUpdate(tx);
    const changes = Object.entries(body) as [RetentionCategory, number | null][];
    for (const [category, keepDays] of changes)
      await updateRetentionSetting(tx, { category, keepDays, updatedBy: actor.userId, now: deps.now() });
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "retention",
      resourceId: null,
      before: keepDaysByCategory(before),
      after: { ...keepDaysByCategory(before), ...body },
    });
  });
  return getRetention(deps);
}

function keepDaysByCategory(rows: RetentionSettingRow[]): Record<string, number | null> {
  return Object.fromEntries(rows.map((row) => [row.category, row.keepDays]));
}

export type PruneOutcome =
  { status: "pruned"; pruned: Record<string, number> } | { status: "skipped"; reason: "not_due" | "running_elsewhere" };

/**
 * The daily pruning: removes what outlived its category's period, in batches of short transactions, and records in
 * the audit log what it removed. Only one process prunes at a time (a lease in retention_job), and at most once a day
 * unless `force`. Points are never removed, nor runs and computations a point names, so every chain still verifies.
 */
export async function pruneExpiredRecords(
  deps: Pick<AppDeps, "db" | "log" | "now" | "config">,
  options: { force?: boolean; batchSize?: number } = {},
): Promise<PruneOutcome> {
  const holder = `${process.pid}:${randomUUID()}`;
  const startedAt = deps.now();
  const isLeased = await acquireRetentionLease(deps.db, {
    holder,
    now: startedAt,
    leaseUntil: new Date(startedAt.getTime() + LEASE_MS),
    dueBefore: options.force ? null : new Date(startedAt.getTime() - RETENTION_EVERY_MS),
  });
  if (!isLeased) {
    const job = await findRetentionJob(deps.db);
    const isDue = !job.lastStartedAt || Date.parse(job.lastStartedAt) <= startedAt.getTime() - RETENTION_EVERY_MS;
    return { status: "skipped", reason: options.force || isDue ? "running_elsewhere" : "not_due" };
  }
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  let pruned: Record<string, number> | null = null;
  try {
    pruned = await pruneWithLease(deps, { holder, now: startedAt, batchSize });
    return { status: "pruned", pruned };
  } finally {
    await finishRetentionJob(deps.db, { holder, now: deps.now(), pruned });
  }
}

async function pruneWithLease(
  deps: Pick<AppDeps, "db" | "log" | "now" | "config">,
  input: { holder: string; now: Date; batchSize: number },
): Promise<Record<string, number>> {
  const { holder, now, batchSize } = input;
  const settings = new Map((await listRetentionSettings(deps.db)).map((row) => [row.category, row.keepDays]));
  const pruned: Record<string, number> = {};
  /**
   * Runs one kind of delete batch after batch until a batch comes back short of `size` (or empty, with `size` null);
   * renews the lease in between.
   */
  const repeat = async (name: string, size: number | null, batch: () => Promise<number>) => {
    let total = 0;
    for (;;) {
      const removed = await batch();
      total += removed;
      if (removed === 0 || (size !== null && removed < size)) break;
      await renewRetentionLease(deps.db, holder, new Date(deps.now().getTime() + LEASE_MS));
    }
    if (total > 0) pruned[name] = (pruned[name] ?? 0) + total;
  };

  const cutoffs: Record<string, string> = {};
  const cutoffOf = (category: RetentionCategory): Date | undefined => {
    const days = settings.get(category);
    if (days === null || days === undefined) return undefined;
    const cutoff = daysBefore(now, days);
    cutoffs[category] = cutoff.toISOString();
    return cutoff;
  };

  const detailCutoff = cutoffOf("computation_detail");
  if (detailCutoff)
    // Batches are bounded by evidences, so their count of computations says nothing about whether more remain.
    await repeat("computations_pruned", null, async () => {
      const removed = await withTransaction(deps.db, async (tx) => {
        const ids = await lockComputationsToPrune(tx, { cutoff: detailCutoff, limit: batchSize });
        return { computations: ids.length, evidences: ids.length > 0 ? await pruneComputationDetail(tx, ids, now) : 0 };
      });
      if (removed.evidences > 0) pruned.evidences = (pruned.evidences ?? 0) + removed.evidences;
      return removed.computations;
    });
  const runsCutoff = cutoffOf("runs");
  if (runsCutoff) {
    await repeat("runs", batchSize, () => deleteExpiredRunsBatch(deps.db, runsCutoff, batchSize));
    await repeat("run_batches", batchSize, () => deleteEmptyRunBatchesBatch(deps.db, runsCutoff, batchSize));
  }
  const conversationsCutoff = cutoffOf("conversations");
  if (conversationsCutoff)
    await repeat("conversations", CONVERSATION_BATCH_SIZE, () =>
      deleteExpiredConversationsBatch(deps.db, conversationsCutoff, CONVERSATION_BATCH_SIZE),
    );
  const sessionsCutoff = cutoffOf("sessions");
  if (sessionsCutoff)
    await repeat("sessions", batchSize, () => deleteEndedSessionsBatch(deps.db, sessionsCutoff, batchSize));
  const packsCutoff = cutoffOf("evidence_packs");
  if (packsCutoff)
    await repeat("evidence_packs_expired", batchSize, () =>
      expireEvidencePacks(deps, { cutoff: packsCutoff, limit: batchSize, now }),
    );
  const eventsCutoff = cutoffOf("event_outbox");
  if (eventsCutoff)
    await repeat("events", batchSize, () => deleteDispatchedEventsBatch(deps.db, eventsCutoff, batchSize));
  const importJobsCutoff = cutoffOf("import_jobs");
  if (importJobsCutoff)
    await repeat("import_jobs", batchSize, () => deleteFinishedImportJobsBatch(deps.db, importJobsCutoff, batchSize));
  await repeat("refresh_tokens", batchSize, () => deleteExpiredRefreshTokensBatch(deps.db, now, batchSize));
  // The audit log's cut-off is computed in the database from the stored period (see prune_audit_log).
  if (cutoffOf("audit_log")) await repeat("audit_entries", batchSize, () => pruneAuditLogBatch(deps.db, batchSize));

  if (Object.keys(pruned).length > 0) {
    await recordAudit(deps.db, null, {
      action: "delete",
      resourceType: "retention",
      resourceId: null,
      after: { pruned, keepDays: Object.fromEntries(settings), cutoffs },
    });
    deps.log.info({ pruned }, "retention: pruned expired records");
  }
  return pruned;
}
