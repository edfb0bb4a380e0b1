import type { z } from "zod";
import type { PointSourceSchema } from "@status/shared";
import { namedStatement, type Queryable } from "../../db/database.ts";
import type { HashablePoint, HashedPointFields } from "./point-hash.ts";

export type PointSource = z.infer<typeof PointSourceSchema>;

/** The head of a control's chain (its newest point's hash) and the chain's length. */
export interface ChainHead {
  head: string | null;
  length: number;
}

/** A point ready to append: hashed (scheme 2), and linked to the point before it in its control's chain. */
export interface NewPoint extends HashedPointFields {
  catalogId: string;
  scope: Record<string, unknown>;
  controlVersion: number;
  hashScheme: 2;
  createdAt: string;
  prevHash: string | null;
  hash: string;
}

/** A stored point with every field a scheme may cover (the version's digest read from its version), as verified. */
export type ChainPoint = HashablePoint & { prevHash: string | null; hash: string };

/**
 * Locks the chains of these controls (their rows, in id order like the engine's finishing statement, so the two never
 * deadlock) and reads their heads. Held until the transaction ends. FOR NO KEY UPDATE: it excludes every other
 * appender and a control's edit (FOR UPDATE) as FOR UPDATE did, but not the foreign-key checks (FOR KEY SHARE) of
 * rows that reference the control, so creating runs for a control does not wait for its chain's append to commit.
 */
export async function lockChainHeads(tx: Queryable, controlIds: string[]): Promise<Map<string, ChainHead>> {
  const result = await tx.query<{ id: string; head: string | null; length: string }>(
    `select id, chain_head as head, chain_length as length from controls where id = any($1::uuid[])
      order by id for no key update`,
    [controlIds],
  );
  return new Map(result.rows.map((row) => [row.id, { head: row.head, length: Number(row.length) }]));
}

/** The recorded head of a control's chain and its length. */
export async function findChainHead(db: Queryable, controlId: string): Promise<ChainHead> {
  const result = await db.query<ChainHead>(
    "select chain_head as head, chain_length as length from controls where id = $1",
    [controlId],
  );
  return result.rows[0] ?? { head: null, length: 0 };
}

/** The first point of a control's chain computed under `version` or later (points without a version count as 0). */
export async function findFirstPointFromVersion(
  db: Queryable,
  controlId: string,
  version: number,
): Promise<string | null> {
  const result = await db.query<{ id: string }>(
    "select id from points where control_id = $1 and coalesce(control_version, 0) >= $2 order by seq limit 1",
    [controlId, version],
  );
  return result.rows[0]?.id ?? null;
}

/** How many points a control's chain has under each hash scheme. */
export async function countChainByHashScheme(db: Queryable, controlId: string): Promise<Record<string, number>> {
  const result = await db.query<{ scheme: string; count: number }>(
    "select hash_scheme::text as scheme, count(*)::int as count from points where control_id = $1 group by hash_scheme",
    [controlId],
  );
  return Object.fromEntries(result.rows.map((row) => [row.scheme, row.count]));
}

/** Points of this source that already exist for any of the given windows, keyed `controlId|scopeKey|startMs`. */
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

/**
 * Appends planned points in chain order and moves each chain's head, in one statement; the caller holds the chain
 * locks. The only writer of `points` and of the controls' chain heads. The same statement keeps the read tables of
 * migration 0063 current (point_latest: the newest point of each control and scope; point_daily: results per day),
 * so no read path recomputes them from the whole table and no append costs another round trip.
 */
export async function appendChainedPoints(
  tx: Queryable,
  points: readonly NewPoint[],
  heads: readonly { controlId: string; head: string; added: number }[],
): Promise<void> {
  if (points.length === 0) return;
  await tx.query(
    namedStatement(
      "points_append_chained",
      `with input as (
       select * from jsonb_to_recordset($1::jsonb) as x(id uuid, "controlId" uuid, "catalogId" uuid, source text, scope jsonb,
              "scopeKey" text, "windowStart" timestamptz, "windowEnd" timestamptz, value numeric, threshold numeric, result text,
              "computationId" uuid, "evidenceDigest" text, "controlVersion" int, "hashScheme" smallint, "createdAt" timestamptz,
              "prevHash" text, hash text, ord int)
     ),
     stored as (
       insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold, result,
                           computation_id, evidence_digest, control_version, hash_scheme, created_at, prev_hash, hash)
       select x.id, x."controlId", x."catalogId", x.source, x.scope, x."scopeKey", x."windowStart", x."windowEnd", x.value, x.threshold,
              x.result, x."computationId", x."evidenceDigest", x."controlVersion", x."hashScheme", x."createdAt", x."prevHash", x.hash
         from input x
        -- Identity values (seq, the chain order) are drawn in this order, which is the order the hashes link.
        order by x.ord
       returning 1
     ),
     latest as (
       insert into point_latest as l (control_id, scope_key, catalog_id, point_id, scope, source, window_start, window_end, value,
                                      result, created_at)
       select distinct on (x."controlId", x."scopeKey") x."controlId", x."scopeKey", x."catalogId", x.id, x.scope, x.source,
              x."windowStart", x."windowEnd", x.value, x.result, x."createdAt"
         from input x
        order by x."controlId", x."scopeKey", x."windowStart" desc, x.source
       on conflict (control_id, scope_key) do update
         set catalog_id = excluded.catalog_id, point_id = excluded.point_id, scope = excluded.scope, source = excluded.source,
             window_start = excluded.window_start, window_end = excluded.window_end, value = excluded.value,
             result = excluded.result, created_at = excluded.created_at
       -- A late window (older than the newest) leaves the row as it is; the engine's point wins a tie with the registry's.
       where excluded.window_start > l.window_start or (excluded.window_start = l.window_start and excluded.source < l.source)
       returning 1
     ),
     paired as (
       -- The other source's point of the same window, if any (one lookup in points_window_key): a registry point of a
       -- window the engine computed is shadowed, counted once per window by the registry answers.
       select x.*, date_trunc('day', x."windowStart" at time zone 'UTC') as day, other.result as "otherResult", other.value as "otherValue",
              other.id is not null as "hasOther"
         from input x
         left join lateral (select o.id, o.result, o.value from points o
                             where o.control_id = x."controlId" and o.scope_key = x."scopeKey" and o.window_start = x."windowStart"
                               and o.source <> x.source limit 1) other on true
     ),
     deltas as (
       select "catalogId", day, "controlId", "scopeKey", source, scope, 1 as points, result, value,
              source = 'registry' and "hasOther" as shadowed
         from paired
       union all
       -- An engine point shadows the registry point already stored for its window.
       select "catalogId", day, "controlId", "scopeKey", 'registry', scope, 0, "otherResult", "otherValue", true
         from paired where source = 'engine' and "hasOther"
     ),
     daily as (
       insert into point_daily as d (catalog_id, day, control_id, scope_key, source, scope, points, passed, failed, not_applicable,
                                     value_sum, value_count, shadowed_points, shadowed_passed, shadowed_failed,
                                     shadowed_not_applicable, shadowed_value_sum, shadowed_value_count)
       select "catalogId", day, "controlId", "scopeKey", source, (array_agg(scope))[1], sum(points),
              count(*) filter (where points = 1 and result = 'pass'), count(*) filter (where points = 1 and result = 'fail'),
              count(*) filter (where points = 1 and result = 'not_applicable'), coalesce(sum(value) filter (where points = 1), 0),
              count(value) filter (where points = 1), count(*) filter (where shadowed),
              count(*) filter (where shadowed and result = 'pass'), count(*) filter (where shadowed and result = 'fail'),
              count(*) filter (where shadowed and result = 'not_applicable'), coalesce(sum(value) filter (where shadowed), 0),
              count(value) filter (where shadowed)
         from deltas
        group by "catalogId", day, "controlId", "scopeKey", source
       on conflict (catalog_id, day, control_id, scope_key, source) do update
         set points = d.points + excluded.points, passed = d.passed + excluded.passed, failed = d.failed + excluded.failed,
             not_applicable = d.not_applicable + excluded.not_applicable, value_sum = d.value_sum + excluded.value_sum,
             value_count = d.value_count + excluded.value_count, shadowed_points = d.shadowed_points + excluded.shadowed_points,
             shadowed_passed = d.shadowed_passed + excluded.shadowed_passed,
             shadowed_failed = d.shadowed_failed + excluded.shadowed_failed,
             shadowed_not_applicable = d.shadowed_not_applicable + excluded.shadowed_not_applicable,
             shadowed_value_sum = d.shadowed_value_sum + excluded.shadowed_value_sum,
             shadowed_value_count = d.shadowed_value_count + excluded.shadowed_value_count
       returning 1
     )
     update controls c set chain_head = x.head, chain_length = c.chain_length + x.added
       from jsonb_to_recordset($2::jsonb) as x("controlId" uuid, head text, added int) where c.id = x."controlId"`,
    ),
    [JSON.stringify(points.map((point, ord) => ({ ...point, ord }))), JSON.stringify(heads)],
  );
}
