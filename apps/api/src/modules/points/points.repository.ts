import type { Page, Point, PointListQuery } from "@status/shared";
import type { z } from "zod";
import type { PointSourceSchema } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";
import type { HashedPointFields } from "./point-hash.ts";

const POINT_COLUMNS = `points.id, points.control_id as "controlId", points.catalog_id as "catalogId", points.source, points.scope,
  points.window_start as "windowStart", points.window_end as "windowEnd", points.value, points.threshold, points.result,
  points.computation_id as "computationId", points.hash, points.prev_hash as "prevHash", points.created_at as "createdAt"`;

/** The recorded head of a control's chain (its newest point's hash) and its length. */
export async function findChainHead(
  db: Queryable,
  controlId: string,
): Promise<{ head: string | null; length: number }> {
  const result = await db.query<{ head: string | null; length: number }>(
    "select chain_head as head, chain_length as length from controls where id = $1",
    [controlId],
  );
  return result.rows[0] ?? { head: null, length: 0 };
}

export type PointSource = z.infer<typeof PointSourceSchema>;

export interface NewPoint extends HashedPointFields {
  catalogId: string;
  scope: Record<string, unknown>;
  prevHash: string | null;
  hash: string;
}

/** A control's chain in order, with every hashed field, for verification. */
export async function listChain(
  db: Queryable,
  controlId: string,
): Promise<(HashedPointFields & { prevHash: string | null; hash: string })[]> {
  const result = await db.query<HashedPointFields & { prevHash: string | null; hash: string }>(
    `select id, control_id as "controlId", source, scope_key as "scopeKey", window_start as "windowStart", window_end as "windowEnd",
            value, threshold, result, computation_id as "computationId", evidence_digest as "evidenceDigest", prev_hash as "prevHash", hash
       from points where control_id = $1 order by seq`,
    [controlId],
  );
  return result.rows;
}

/** The current digest of a computation's stored evidences, recomputed from the rows. */
export async function listEvidenceRowsForDigest(
  db: Queryable,
  computationId: string,
): Promise<
  { position: number; key: string; value: unknown; result: string; from: string | null; to: string | null }[]
> {
  const result = await db.query<{
    position: number;
    key: string;
    value: unknown;
    result: string;
    from: string | null;
    to: string | null;
  }>(
    `select position, key, value, result, period_from as "from", period_to as "to" from evidences where computation_id = $1 order by position`,
    [computationId],
  );
  return result.rows;
}

const SORT_COLUMNS = { windowStart: "points.window_start", createdAt: "points.created_at" };

/** `team:payments` → `{"team":"payments"}` for a jsonb containment match. */
function scopeFilter(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  const separator = scope.indexOf(":");
  return JSON.stringify({ [scope.slice(0, separator)]: scope.slice(separator + 1) });
}

export async function listPoints(db: Queryable, query: PointListQuery): Promise<Page<Point>> {
  const where = new WhereBuilder()
    .add("points.catalog_id = $?", query.catalogId)
    .add("points.control_id = $?", query.controlId)
    .add("points.source = $?", query.source)
    .add("points.result = $?", query.result)
    .add("points.window_start >= $?", query.from)
    .add("points.window_start < $?", query.to)
    .add("points.scope @> $?::jsonb", scopeFilter(query.scope));
  return queryPage<Point>(db, {
    select: POINT_COLUMNS,
    from: "points",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS, "points.seq"),
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** Engine points that already exist for any of the given windows, keyed `controlId|scopeKey|startMs`. */
export async function findPointsForWindows(
  db: Queryable,
  windows: { controlId: string; scopeKey: string; windowStart: string }[],
  source: PointSource,
): Promise<Map<string, string>> {
  const result = await db.query<{ key: string; id: string }>(
    `select p.control_id || '|' || p.scope_key || '|' || (extract(epoch from p.window_start) * 1000)::bigint as key, p.id
       from jsonb_to_recordset($1::jsonb) as x("controlId" uuid, "scopeKey" text, "windowStart" timestamptz)
       -- Lateral (kept apart by the limit): one lookup in points_window_key per window, never a scan of the whole table.
       cross join lateral (select id, control_id, scope_key, window_start from points
                            where control_id = x."controlId" and scope_key = x."scopeKey" and window_start = x."windowStart" and source = $2 limit 1) p`,
    [JSON.stringify(windows), source],
  );
  return new Map(result.rows.map((row) => [row.key, row.id]));
}
