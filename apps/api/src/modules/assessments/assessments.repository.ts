import type { Queryable } from "../../db/database.ts";
import { isoTextSql } from "../../db/timestamptz.ts";
import type { DigestedEvidence } from "@status/verify-pack/chain-hash";

/** A control of the catalog as the exports describe it. */
export interface AssessedControl {
  id: string;
  name: string;
  description: string;
  threshold: number;
  version: number | null;
  archivedAt: string | null;
}

/** A point of the period with what its observation reports. */
export interface AssessedPoint {
  id: string;
  controlId: string;
  scopeKey: string;
  /** On the first point of each control and scope only (the finding's scope): a year of points repeats it otherwise. */
  scope: Record<string, unknown> | null;
  /** ISO instants, normalised here whatever the driver hands back. */
  windowStart: string;
  windowEnd: string;
  value: string | null;
  threshold: string;
  result: "pass" | "fail" | "not_applicable";
  computationId: string | null;
  evidenceDigest: string | null;
  hash: string;
  source: string;
  collectedAt: string;
}

/** The controls of a catalog in name order (archived ones too: their history belongs to the period). */
export async function listAssessedControls(db: Queryable, catalogId: string): Promise<AssessedControl[]> {
  const result = await db.query<AssessedControl>(
    `select id, name, description, threshold::float8 as threshold, version, archived_at as "archivedAt"
       from controls where catalog_id = $1 and (status = 'finalized' or chain_length > 0) order by lower(name), id`,
    [catalogId],
  );
  return result.rows;
}

// The columns of a point's observation; a point's completion is when its evidence was collected (a point without a
// computation, from the registry, was collected when it was recorded). Its scope comes on the first row of each
// control and scope only.
const ASSESSED_POINT_COLUMNS = `p.id, p.control_id as "controlId", p.scope_key as "scopeKey",
            case when lag(p.scope_key) over w is distinct from p.scope_key
                   or lag(p.control_id) over w is distinct from p.control_id then p.scope end as scope,
            ${isoTextSql("p.window_start")} as "windowStart", ${isoTextSql("p.window_end")} as "windowEnd",
            p.value::text as value, p.threshold::text as threshold, p.result,
            p.computation_id as "computationId", p.evidence_digest as "evidenceDigest", p.hash, p.source,
            ${isoTextSql("coalesce(c.completed_at, p.created_at)")} as "collectedAt"`;
const ASSESSED_POINT_ORDER = `window w as (order by p.control_id, p.scope_key, p.window_start, p.source)
      order by p.control_id, p.scope_key, p.window_start, p.source`;

/**
 * The catalog's points whose windows start in [from, to), by control, scope and window: one statement for the whole
 * catalog, which Postgres answers faster than one per control when a request wants the whole document anyway.
 */
export async function listAssessedPoints(
  db: Queryable,
  input: { catalogId: string; from: string; to: string },
): Promise<AssessedPoint[]> {
  const result = await db.query<AssessedPoint>(
    `select ${ASSESSED_POINT_COLUMNS}
       from points p left join computations c on c.id = p.computation_id
      where p.catalog_id = $1 and p.window_start >= $2 and p.window_start < $3
     ${ASSESSED_POINT_ORDER}`,
    [input.catalogId, input.from, input.to],
  );
  return result.rows;
}

/** One control's points of the period, by scope and window: a pack reads them control by control to bound memory. */
export async function listAssessedPointsOfControl(
  db: Queryable,
  input: { catalogId: string; controlId: string; from: string; to: string },
): Promise<AssessedPoint[]> {
  const result = await db.query<AssessedPoint>(
    `select ${ASSESSED_POINT_COLUMNS}
       from points p left join computations c on c.id = p.computation_id
      where p.control_id = $4 and p.catalog_id = $1 and p.window_start >= $2 and p.window_start < $3
     ${ASSESSED_POINT_ORDER}`,
    [input.catalogId, input.from, input.to, input.controlId],
  );
  return result.rows;
}

/** A point of a chain as a pack carries it: every field its hash covers, and whether its window is in the period. */
export interface PackedPoint {
  id: string;
  controlId: string;
  catalogId: string;
  source: string;
  scope: Record<string, unknown>;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  value: string | null;
  threshold: string;
  result: string;
  computationId: string | null;
  evidenceDigest: string | null;
  controlVersion: number | null;
  versionDigest: string | null;
  hashScheme: 1 | 2;
  createdAt: string;
  prevHash: string | null;
  hash: string;
  isInPeriod: boolean;
}

/**
 * Where each control's chain segment of a period starts: the first point (by chain order) whose window starts in the
 * period. Points are chained as computed, not by window, so the segment runs from there to the head.
 */
export async function findChainSegmentStarts(
  db: Queryable,
  input: { catalogId: string; from: string; to: string },
): Promise<Map<string, string>> {
  const result = await db.query<{ controlId: string; seq: string }>(
    `select control_id as "controlId", min(seq)::text as seq from points
      where catalog_id = $1 and window_start >= $2 and window_start < $3 group by control_id`,
    [input.catalogId, input.from, input.to],
  );
  return new Map(result.rows.map((row) => [row.controlId, row.seq]));
}

/** A point of a chain segment's page, with its place in the chain (where the next page starts). */
export type PagedPoint = PackedPoint & { seq: string };

/**
 * Up to `limit` points of a control's chain from `fromSeq` on, in chain order: a pack reads a segment page by page,
 * so its memory is bounded by the page, not by a control's year.
 */
export async function listChainPage(
  db: Queryable,
  input: { controlId: string; fromSeq: string; from: string; to: string; limit: number },
): Promise<PagedPoint[]> {
  const result = await db.query<PagedPoint>(
    `select p.id, p.control_id as "controlId", p.catalog_id as "catalogId", p.source, p.scope, p.scope_key as "scopeKey",
            ${isoTextSql("p.window_start")} as "windowStart", ${isoTextSql("p.window_end")} as "windowEnd",
            p.value::text as value, p.threshold::text as threshold,
            p.result, p.computation_id as "computationId", p.evidence_digest as "evidenceDigest",
            p.control_version as "controlVersion", v.digest as "versionDigest", p.hash_scheme as "hashScheme",
            ${isoTextSql("p.created_at")} as "createdAt", p.prev_hash as "prevHash", p.hash,
            (p.window_start >= $3 and p.window_start < $4) as "isInPeriod", p.seq::text as seq
       from points p
       left join control_versions v on v.control_id = p.control_id and v.version = p.control_version
      where p.control_id = $1 and p.seq >= $2::bigint order by p.seq limit $5`,
    [input.controlId, input.fromSeq, input.from, input.to, input.limit],
  );
  return result.rows;
}

/** A page of a chain segment: the control's points with `seq` in [fromSeq, toSeq]. */
interface PageRange {
  controlId: string;
  fromSeq: string;
  toSeq: string;
}

/** An evidence of a pack's evidences.csv. */
export type PackedEvidence = DigestedEvidence & { computationId: string };

/** The evidences behind a page of a chain segment, by point order then position. */
export async function listPageEvidences(db: Queryable, input: PageRange): Promise<PackedEvidence[]> {
  const result = await db.query<PackedEvidence>(
    `select e.computation_id as "computationId", e.position, e.key, e.value, e.result,
            ${isoTextSql("e.period_from")} as "from", ${isoTextSql("e.period_to")} as "to"
       from points p join evidences e on e.computation_id = p.computation_id
      where p.control_id = $1 and p.seq between $2::bigint and $3::bigint order by p.seq, e.position`,
    [input.controlId, input.fromSeq, input.toSeq],
  );
  return result.rows;
}

/** The computations behind a page of a chain segment, as computations.jsonl records them. */
export async function listPageComputations(db: Queryable, input: PageRange): Promise<Record<string, unknown>[]> {
  const result = await db.query<Record<string, unknown>>(
    `select c.id, c.run_id as "runId", c.control_id as "controlId", c.scope, c.scope_key as "scopeKey",
            ${isoTextSql("c.window_start")} as "windowStart", ${isoTextSql("c.window_end")} as "windowEnd", c.status,
            c.flow_value as "flowValue",
            c.evidence_count as "evidenceCount", c.pass_count as "passCount", c.fail_count as "failCount",
            c.error_count as "errorCount", c.not_applicable_count as "notApplicableCount", c.compliance::text as compliance,
            c.result, c.evidence_digest as "evidenceDigest", c.point_id as "pointId",
            ${isoTextSql("c.completed_at")} as "completedAt"
       from points p join computations c on c.id = p.computation_id
      where p.control_id = $1 and p.seq between $2::bigint and $3::bigint order by p.seq`,
    [input.controlId, input.fromSeq, input.toSeq],
  );
  return result.rows;
}

/** A control's chain head and length as recorded now. */
export async function findControlChainHead(
  db: Queryable,
  controlId: string,
): Promise<{ head: string | null; length: number }> {
  const result = await db.query<{ head: string | null; length: string }>(
    "select chain_head as head, chain_length::text as length from controls where id = $1",
    [controlId],
  );
  const row = result.rows[0];
  return { head: row?.head ?? null, length: Number(row?.length ?? 0) };
}
