import { POINT_TOTAL_CAP, splitScopeFilter, type Point, type PointListQuery, type PointPage } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { pointHandlingColumn } from "../../db/handling-columns.ts";
import type { QueryResultRow } from "pg";
import { cappedCountSql, cappedTotal, cappedTotalOfCount, decodeCursor, encodeCursor } from "../../db/keyset.ts";
import { WhereBuilder } from "../../db/pagination.ts";
import { queryPrepared } from "../../db/prepared.ts";

const POINT_COLUMNS = `points.id, points.control_id as "controlId", points.catalog_id as "catalogId", points.source, points.scope,
  points.window_start as "windowStart", points.window_end as "windowEnd", points.value, points.threshold, points.result,
  points.computation_id as "computationId", points.control_version as "controlVersion", points.hash_scheme as "hashScheme",
  points.hash, points.prev_hash as "prevHash", points.created_at as "createdAt",
  ${pointHandlingColumn("points.id")} as handling`;

const SORT_COLUMNS = { windowStart: "points.window_start", createdAt: "points.created_at" };

/** `team:payments` → the scope's name and value; the value compares as text, so `replicas:3` matches a number too. */
function scopeFilter(scope: string | undefined): [string, string] | undefined {
  if (!scope) return undefined;
  const { key, value } = splitScopeFilter(scope);
  return [key, value];
}

function pointFilters(query: PointListQuery): WhereBuilder {
  return new WhereBuilder()
    .add("points.catalog_id = $?", query.catalogId)
    .add("points.control_id = $?", query.controlId)
    .add("points.source = $?", query.source)
    .add("points.result = $?", query.result)
    .add("points.window_start >= $?", query.from)
    .add("points.window_start < $?", query.to)
    .addAll("points.scope ->> $1? = $2?", scopeFilter(query.scope));
}

/**
 * A page of points in the asked order (seq breaks ties), after the `cursor` when there is one (keyset: the sort's
 * index finds the page, however deep) or at `page` otherwise (offset: deep pages cost more). The total is exact up
 * to POINT_TOTAL_CAP and estimated past it, so the cost follows the page, never the table; it is counted in the
 * page's own statement (one round trip), and apart only for a page with no rows to carry it.
 *
 * A control's points alone (the control page, GET /points?controlId=) are a few fixed texts, one per sort and page
 * shape, whose generic plan suits every control (its index leads with control_id): prepared, so Postgres stops
 * planning them (planning was 0.9 ms, more than twice the execution, EXPLAIN ANALYZE on a year of daily points).
 */
export async function listPoints(db: Queryable, query: PointListQuery): Promise<PointPage> {
  const field = query.sort.replace(/^-/, "") as keyof typeof SORT_COLUMNS;
  const column = SORT_COLUMNS[field];
  const isDescending = query.sort.startsWith("-");
  const [direction, after] = isDescending ? ["desc", "<"] : ["asc", ">"];
  const where = pointFilters(query);
  const filterCount = where.values.length;
  if (query.cursor) {
    where.addAll(
      `${column} ${after}= $1?::timestamptz and (${column} ${after} $1?::timestamptz or points.seq ${after} $2?::bigint)`,
      decodeCursor(query.cursor, query.sort, 2),
    );
  }
  const offset = query.cursor ? 0 : (query.page - 1) * query.pageSize;
  const values = [...where.values, query.pageSize, offset, POINT_TOTAL_CAP + 1];
  const order = `order by ${column} ${direction}, points.seq ${direction}`;
  const paged = `limit $${values.length - 2} offset $${values.length - 1}`;
  // Past the first page of an offset, a deferred join: the skipped rows are read for their sort key and seq only,
  // and the page's rows alone are fetched whole with their handling (three subqueries a row), so a deep page costs
  // the index entries it skips, not a projection of every skipped point.
  const from =
    offset > 0
      ? `(select points.seq from points ${where.toSql()} ${order} ${paged}) page join points on points.seq = page.seq`
      : `points ${where.toSql()}`;
  // The filters without the cursor's condition: their values are the statement's first.
  const counted = cappedCountSql("points", pointFilters(query), `$${values.length}`);
  const text = `select ${POINT_COLUMNS}, ${column}::text as "cursorValue", points.seq::text as "cursorSeq",
                       ${counted} as "cappedCount"
                  from ${from} ${order} ${offset > 0 ? "" : paged}`;
  const isControlPage = query.controlId !== undefined && filterCount === 1;
  const rows = await (isControlPage ? queryPrepared : queryUnnamed)<
    Point & { cursorValue: string; cursorSeq: string; cappedCount: number }
  >(db, text, values);
  const last = rows.rows.at(-1);
  const total =
    last !== undefined
      ? await cappedTotalOfCount(db, last.cappedCount, "points", pointFilters(query), POINT_TOTAL_CAP)
      : offset === 0 && !query.cursor
        ? { total: 0, totalIsEstimate: false }
        : await cappedTotal(db, "points", pointFilters(query), POINT_TOTAL_CAP);
  return {
    items: rows.rows.map(({ cursorValue: _value, cursorSeq: _seq, cappedCount: _count, ...point }) => point),
    ...total,
    page: query.page,
    pageSize: query.pageSize,
    nextCursor:
      last && rows.rows.length === query.pageSize ? encodeCursor(query.sort, [last.cursorValue, last.cursorSeq]) : null,
  };
}

function queryUnnamed<Row extends QueryResultRow>(db: Queryable, text: string, values: unknown[]) {
  return db.query<Row>(text, values);
}

/** Start times (epoch ms) of the windows of one control and scope that already have an engine point. */
export async function listPointWindowStarts(
  db: Queryable,
  input: { controlId: string; scopeKey: string; from: string; to: string },
): Promise<Set<number>> {
  const result = await db.query<{ startMs: number }>(
    `select (extract(epoch from window_start) * 1000)::bigint as "startMs" from points
      where control_id = $1 and scope_key = $2 and source = 'engine' and window_start >= $3 and window_start < $4`,
    [input.controlId, input.scopeKey, input.from, input.to],
  );
  return new Set(result.rows.map((row) => Number(row.startMs)));
}

/** How many passing and failing points each control has in windows starting in [from, to), every scope and source. */
export async function countResultsOfControls(
  db: Queryable,
  input: { controlIds: readonly string[]; from: string; to: string },
): Promise<Map<string, { passCount: number; failCount: number }>> {
  if (input.controlIds.length === 0) return new Map();
  const result = await db.query<{ controlId: string; passCount: number; failCount: number }>(
    `select control_id as "controlId", count(*) filter (where result = 'pass')::int as "passCount",
       count(*) filter (where result = 'fail')::int as "failCount"
     from points where control_id = any($1::uuid[]) and window_start >= $2 and window_start < $3
     group by control_id`,
    [input.controlIds, input.from, input.to],
  );
  return new Map(result.rows.map((row) => [row.controlId, { passCount: row.passCount, failCount: row.failCount }]));
}
