import type { Computation, ComputationListQuery, Evidence, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { pointHandlingColumn } from "../../db/handling-columns.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";

const COMPUTATION_COLUMNS = `id, run_id as "runId", control_id as "controlId", scope, window_start as "windowStart", window_end as "windowEnd",
  is_provisional as "isProvisional", status, flow_value as "flowValue", evidence_count as "evidenceCount", pass_count as "passCount",
  fail_count as "failCount", error_count as "errorCount", not_applicable_count as "notApplicableCount", compliance, result,
  control_version as "controlVersion", point_id as "pointId", created_at as "createdAt", completed_at as "completedAt",
  detail_pruned_at as "detailPrunedAt", ${pointHandlingColumn("computations.point_id")} as handling`;

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

/** Our computations the registry's evidences name, with their evidence digest (to link points to their evidence). */
export interface LinkedComputation {
  controlId: string;
  evidenceDigest: string | null;
  result: "pass" | "fail" | "not_applicable" | null;
  controlVersion: number | null;
}

export async function findComputationDigests(db: Queryable, ids: string[]): Promise<Map<string, LinkedComputation>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<LinkedComputation & { id: string }>(
    `select id, control_id as "controlId", evidence_digest as "evidenceDigest", result, control_version as "controlVersion"
       from computations where id = any($1::uuid[]) and status = 'ready'`,
    [ids],
  );
  return new Map(result.rows.map(({ id, ...row }) => [id, row]));
}
