import type { Computation, ComputationListQuery, ComplianceResult, Evidence, EvidenceResult, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../pagination.ts";
import type { NormalizedEvidence } from "../runs/evaluation.ts";

const COMPUTATION_COLUMNS = `id, run_id as "runId", control_id as "controlId", scope, window_start as "windowStart", window_end as "windowEnd",
  is_provisional as "isProvisional", status, flow_value as "flowValue", evidence_count as "evidenceCount", pass_count as "passCount",
  fail_count as "failCount", error_count as "errorCount", not_applicable_count as "notApplicableCount", compliance, result,
  point_id as "pointId", created_at as "createdAt", completed_at as "completedAt"`;

export async function findComputation(db: Queryable, id: string): Promise<Computation | undefined> {
  const result = await db.query<Computation>(`select ${COMPUTATION_COLUMNS} from computations where id = $1`, [id]);
  return result.rows[0];
}

export async function findComputationByRun(db: Queryable, runId: string): Promise<Computation | undefined> {
  const result = await db.query<Computation>(`select ${COMPUTATION_COLUMNS} from computations where run_id = $1`, [runId]);
  return result.rows[0];
}

const SORT_COLUMNS = { windowStart: "window_start", createdAt: "created_at" };

export async function listComputationsOfControl(db: Queryable, controlId: string, query: ComputationListQuery): Promise<Page<Computation>> {
  const where = new WhereBuilder().add("control_id = $?", controlId).add("status = $?", query.status);
  return queryPage<Computation>(db, { select: COMPUTATION_COLUMNS, from: "computations", where, orderBy: orderBy(query.sort, SORT_COLUMNS), page: query.page, pageSize: query.pageSize });
}

export async function listEvidences(db: Queryable, computationId: string): Promise<Evidence[]> {
  const result = await db.query<Evidence>(
    `select position, key, value, result, period_from as "from", period_to as "to" from evidences where computation_id = $1 order by position`,
    [computationId],
  );
  return result.rows;
}

/** Stores all evidences of a computation in one statement. */
export async function insertEvidences(db: Queryable, computationId: string, evidences: readonly NormalizedEvidence[]): Promise<void> {
  if (evidences.length === 0) return;
  await db.query(
    `insert into evidences (computation_id, position, key, value, result, period_from, period_to)
     select $1, x.position, x.key, x.value, x.result, x."from", x."to"
       from jsonb_to_recordset($2::jsonb) as x(position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)`,
    [computationId, JSON.stringify(evidences)],
  );
}

export interface CompletedComputation {
  flowValue: unknown;
  counts: Record<EvidenceResult, number>;
  compliance: number | null;
  result: ComplianceResult;
  evidenceDigest: string;
}

/** Fills a pending computation with its result; returns its id. */
export async function completeComputation(db: Queryable, runId: string, completed: CompletedComputation): Promise<string> {
  const { counts } = completed;
  const result = await db.query<{ id: string }>(
    `update computations set status = 'ready', flow_value = $2, evidence_count = $3, pass_count = $4, fail_count = $5, error_count = $6,
            not_applicable_count = $7, compliance = $8, result = $9, evidence_digest = $10, completed_at = now()
      where run_id = $1 returning id`,
    [runId, JSON.stringify(completed.flowValue ?? null), counts.pass + counts.fail + counts.error + counts.not_applicable, counts.pass, counts.fail, counts.error, counts.not_applicable, completed.compliance, completed.result, completed.evidenceDigest],
  );
  return result.rows[0]!.id;
}

export async function setComputationPoint(db: Queryable, computationId: string, pointId: string): Promise<void> {
  await db.query("update computations set point_id = $2 where id = $1", [computationId, pointId]);
}

export async function failComputation(db: Queryable, runId: string): Promise<void> {
  await db.query("update computations set status = 'failed', completed_at = now() where run_id = $1 and status = 'pending'", [runId]);
}

export async function insertBulkItems(db: Queryable, runId: string, items: unknown[]): Promise<void> {
  if (items.length === 0) return;
  await db.query("insert into run_bulk_items (run_id, item) select $1, value from jsonb_array_elements($2::jsonb)", [runId, JSON.stringify(items)]);
}

export async function markBulkDone(db: Queryable, runId: string): Promise<void> {
  await db.query("update runs set bulk_done_at = coalesce(bulk_done_at, now()) where id = $1", [runId]);
}

export async function findBulkState(db: Queryable, runId: string): Promise<{ itemCount: number; isDone: boolean }> {
  const result = await db.query<{ itemCount: number; isDone: boolean }>(
    `select (select count(*)::int from run_bulk_items where run_id = $1) as "itemCount", (bulk_done_at is not null) as "isDone" from runs where id = $1`,
    [runId],
  );
  return result.rows[0] ?? { itemCount: 0, isDone: false };
}

export async function listBulkItems(db: Queryable, runId: string): Promise<unknown[]> {
  const result = await db.query<{ item: unknown }>("select item from run_bulk_items where run_id = $1 order by id", [runId]);
  return result.rows.map((row) => row.item);
}
