import type {
  Computation,
  ComputationListQuery,
  ComplianceResult,
  Evidence,
  EvidenceResult,
  Page,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";
import type { NormalizedEvidence } from "../../domain/evaluation.ts";

const COMPUTATION_COLUMNS = `id, run_id as "runId", control_id as "controlId", scope, window_start as "windowStart", window_end as "windowEnd",
  is_provisional as "isProvisional", status, flow_value as "flowValue", evidence_count as "evidenceCount", pass_count as "passCount",
  fail_count as "failCount", error_count as "errorCount", not_applicable_count as "notApplicableCount", compliance, result,
  point_id as "pointId", created_at as "createdAt", completed_at as "completedAt"`;

export async function findComputation(db: Queryable, id: string): Promise<Computation | undefined> {
  const result = await db.query<Computation>(`select ${COMPUTATION_COLUMNS} from computations where id = $1`, [id]);
  return result.rows[0];
}

const SORT_COLUMNS = { windowStart: "window_start", createdAt: "created_at" };

export async function listComputationsOfControl(
  db: Queryable,
  controlId: string,
  query: ComputationListQuery,
): Promise<Page<Computation>> {
  const where = new WhereBuilder().add("control_id = $?", controlId).add("status = $?", query.status);
  return queryPage<Computation>(db, {
    select: COMPUTATION_COLUMNS,
    from: "computations",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
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
  await db.query(
    "update computations set status = 'failed', completed_at = now() where run_id = $1 and status = 'pending'",
    [runId],
  );
}

export async function insertBulkItems(db: Queryable, runId: string, items: unknown[]): Promise<void> {
  if (items.length === 0) return;
  await db.query("insert into run_bulk_items (run_id, item) select $1, value from jsonb_array_elements($2::jsonb)", [
    runId,
    JSON.stringify(items),
  ]);
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
  const result = await db.query<{ item: unknown }>("select item from run_bulk_items where run_id = $1 order by id", [
    runId,
  ]);
  return result.rows.map((row) => row.item);
}

/**
 * Stores a batch of results in one statement: completes the computations (with their point, if any), inserts their
 * evidences, appends the planned points in chain order and moves the chain heads. The caller holds the chain locks.
 */
export async function storeComputationResults(
  db: Queryable,
  input: {
    computations: (CompletedComputation & { computationId: string; pointId: string | null })[];
    evidences: { computationId: string; evidences: readonly NormalizedEvidence[] }[];
    points: readonly object[];
    heads: { controlId: string; head: string; added: number }[];
  },
): Promise<void> {
  if (input.computations.length === 0) return;
  const computations = input.computations.map((item) => ({
    id: item.computationId,
    flowValue: item.flowValue ?? null,
    evidenceCount: item.counts.pass + item.counts.fail + item.counts.error + item.counts.not_applicable,
    pass: item.counts.pass,
    fail: item.counts.fail,
    error: item.counts.error,
    notApplicable: item.counts.not_applicable,
    compliance: item.compliance,
    result: item.result,
    digest: item.evidenceDigest,
    pointId: item.pointId,
  }));
  const evidences = input.evidences.flatMap((item) =>
    item.evidences.map((evidence) => ({ ...evidence, computationId: item.computationId })),
  );
  await db.query(
    `with completed as (
       update computations c set status = 'ready', flow_value = x."flowValue", evidence_count = x."evidenceCount", pass_count = x.pass,
              fail_count = x.fail, error_count = x.error, not_applicable_count = x."notApplicable", compliance = x.compliance,
              result = x.result, evidence_digest = x.digest, point_id = x."pointId", completed_at = now()
         from jsonb_to_recordset($1::jsonb) as x(id uuid, "flowValue" jsonb, "evidenceCount" int, pass int, fail int, error int,
                                                "notApplicable" int, compliance numeric, result text, digest text, "pointId" uuid)
        -- The id list lets the planner find the rows through the primary key instead of scanning the table.
        where c.id = x.id and c.id = any($5::uuid[])
       returning c.id
     ), stored_evidences as (
       insert into evidences (computation_id, position, key, value, result, period_from, period_to)
       select x."computationId", x.position, x.key, x.value, x.result, x."from", x."to"
         from jsonb_to_recordset($2::jsonb) as x("computationId" uuid, position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)
     ), stored_points as (
       insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold, result,
                           computation_id, evidence_digest, prev_hash, hash)
       select x.id, x."controlId", x."catalogId", x.source, x.scope, x."scopeKey", x."windowStart", x."windowEnd", x.value, x.threshold,
              x.result, x."computationId", x."evidenceDigest", x."prevHash", x.hash
         from jsonb_to_recordset($3::jsonb) as x(id uuid, "controlId" uuid, "catalogId" uuid, source text, scope jsonb, "scopeKey" text,
              "windowStart" timestamptz, "windowEnd" timestamptz, value numeric, threshold numeric, result text, "computationId" uuid,
              "evidenceDigest" text, "prevHash" text, hash text, ord int)
        -- Identity values (seq, the chain order) are drawn in this order, which is the order the hashes link.
        order by x.ord
     ), moved_heads as (
       update controls c set chain_head = x.head, chain_length = c.chain_length + x.added
         from jsonb_to_recordset($4::jsonb) as x("controlId" uuid, head text, added int) where c.id = x."controlId"
     )
     select count(*)::int as n from completed`,
    [
      JSON.stringify(computations),
      JSON.stringify(evidences),
      JSON.stringify(input.points.map((point, ord) => ({ ...point, ord }))),
      JSON.stringify(input.heads),
      computations.map((row) => row.id),
    ],
  );
}

/** Run id → computation id, for runs claimed without one at hand. */
export async function findComputationIdsOfRuns(db: Queryable, runIds: string[]): Promise<Map<string, string>> {
  const result = await db.query<{ id: string; runId: string }>(
    `select id, run_id as "runId" from computations where run_id = any($1::uuid[])`,
    [runIds],
  );
  return new Map(result.rows.map((row) => [row.runId, row.id]));
}
