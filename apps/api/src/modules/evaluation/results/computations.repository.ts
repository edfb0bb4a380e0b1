import type { Computation, ComputationListQuery, Evidence, Page } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";
import { pointHandlingColumn } from "../../../db/handling-columns.ts";
import { orderBy, queryPage, WhereBuilder } from "../../../db/pagination.ts";

const COMPUTATION_COLUMNS = `id, run_id as "runId", control_id as "controlId", scope, window_start as "windowStart", window_end as "windowEnd",
  is_provisional as "isProvisional", status, flow_value as "flowValue", evidence_count as "evidenceCount", pass_count as "passCount",
  fail_count as "failCount", error_count as "errorCount", not_applicable_count as "notApplicableCount", compliance, result,
  control_version as "controlVersion", point_id as "pointId", created_at as "createdAt", completed_at as "completedAt",
  detail_pruned_at as "detailPrunedAt", ${pointHandlingColumn("computations.point_id")} as handling,
  case when point_id is not null then 'recorded'
       when status = 'ready' and is_provisional then 'provisional'
       when status = 'ready' and control_version is null then 'draft'
       else 'not_recorded' end as recording`;

export async function findComputation(db: Queryable, id: string): Promise<Computation | undefined> {
  const result = await db.query<Computation>(`select ${COMPUTATION_COLUMNS} from computations where id = $1`, [id]);
  return result.rows[0];
}

const SORT_COLUMNS = {
  windowStart: "window_start",
  createdAt: "created_at",
  compliance: "compliance",
  result: "coalesce(result, 'error')",
};

/** `team:payments,repository:api` as the JSON object a scope must contain. */
function scopeFilter(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  const pairs = scope.split(",").map((pair) => {
    const separator = pair.indexOf(":");
    return [pair.slice(0, separator), pair.slice(separator + 1)];
  });
  return JSON.stringify(Object.fromEntries(pairs));
}

function computationFilter(controlId: string, query: ComputationListQuery): WhereBuilder {
  const where = new WhereBuilder()
    .add("control_id = $?", controlId)
    .add("status = $?", query.status)
    .add("scope @> $?::jsonb", scopeFilter(query.scope));
  // `error` is a run that failed: it has no compliance result.
  if (query.result === "error") return where.raw("status = 'failed'");
  return where.add("result = $?", query.result);
}

export async function listComputationsOfControl(
  db: Queryable,
  controlId: string,
  query: ComputationListQuery,
): Promise<Page<Computation>> {
  return queryPage<Computation>(db, {
    select: COMPUTATION_COLUMNS,
    from: "computations",
    where: computationFilter(controlId, query),
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** A computation's 1-based position in the control's list under the query's filters and sort; undefined if absent. */
export async function findComputationPosition(
  db: Queryable,
  controlId: string,
  query: ComputationListQuery,
  computationId: string,
): Promise<number | undefined> {
  const where = computationFilter(controlId, query);
  const values = [...where.values, computationId];
  const result = await db.query<{ position: string }>(
    `select position from (
       select id, row_number() over (${orderBy(query.sort, SORT_COLUMNS)}) as position from computations ${where.toSql()}
     ) ranked where id = $${values.length}`,
    values,
  );
  const position = result.rows[0]?.position;
  return position === undefined ? undefined : Number(position);
}

/** Every scope a control was computed for, with its number of computations, most used first. */
export async function listComputationScopes(
  db: Queryable,
  controlId: string,
): Promise<{ scope: Record<string, unknown>; count: number }[]> {
  const result = await db.query<{ scope: Record<string, unknown>; count: string }>(
    `select scope, count(*) as count from computations where control_id = $1
      group by scope_key, scope order by count(*) desc, scope_key limit 200`,
    [controlId],
  );
  return result.rows.map((row) => ({ scope: row.scope, count: Number(row.count) }));
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
