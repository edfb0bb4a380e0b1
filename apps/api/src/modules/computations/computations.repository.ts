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

export interface CompletedComputation {
  flowValue: unknown;
  counts: Record<EvidenceResult, number>;
  compliance: number | null;
  result: ComplianceResult;
  evidenceDigest: string;
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

/** Completes several computations in one statement; answers run id → computation id. */
export async function completeComputations(db: Queryable, items: (CompletedComputation & { runId: string })[]): Promise<Map<string, string>> {
  const rows = items.map((item) => ({
    runId: item.runId, flowValue: item.flowValue ?? null, evidenceCount: item.counts.pass + item.counts.fail + item.counts.error + item.counts.not_applicable,
    pass: item.counts.pass, fail: item.counts.fail, error: item.counts.error, notApplicable: item.counts.not_applicable,
    compliance: item.compliance, result: item.result, digest: item.evidenceDigest,
  }));
  const result = await db.query<{ id: string; runId: string }>(
    `update computations c set status = 'ready', flow_value = x."flowValue", evidence_count = x."evidenceCount", pass_count = x.pass,
            fail_count = x.fail, error_count = x.error, not_applicable_count = x."notApplicable", compliance = x.compliance,
            result = x.result, evidence_digest = x.digest, completed_at = now()
       from jsonb_to_recordset($1::jsonb) as x("runId" uuid, "flowValue" jsonb, "evidenceCount" int, pass int, fail int, error int,
                                              "notApplicable" int, compliance numeric, result text, digest text)
      where c.run_id = x."runId" returning c.id, c.run_id as "runId"`,
    [JSON.stringify(rows)],
  );
  return new Map(result.rows.map((row) => [row.runId, row.id]));
}

/** Stores the evidences of several computations in one statement. */
export async function insertEvidencesOfMany(db: Queryable, items: { computationId: string; evidences: readonly NormalizedEvidence[] }[]): Promise<void> {
  const rows = items.flatMap((item) => item.evidences.map((evidence) => ({ ...evidence, computationId: item.computationId })));
  if (rows.length === 0) return;
  await db.query(
    `insert into evidences (computation_id, position, key, value, result, period_from, period_to)
     select x."computationId", x.position, x.key, x.value, x.result, x."from", x."to"
       from jsonb_to_recordset($1::jsonb) as x("computationId" uuid, position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)`,
    [JSON.stringify(rows)],
  );
}

export async function setComputationPoints(db: Queryable, pairs: { computationId: string; pointId: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.query(
    `update computations c set point_id = x."pointId" from jsonb_to_recordset($1::jsonb) as x("computationId" uuid, "pointId" uuid) where c.id = x."computationId"`,
    [JSON.stringify(pairs)],
  );
}
