import type { Queryable } from "../../db/database.ts";

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
  scope: Record<string, unknown>;
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
       from controls where catalog_id = $1 and status = 'finalized' order by lower(name), id`,
    [catalogId],
  );
  return result.rows;
}

/**
 * The catalog's points whose windows start in [from, to), by control, scope and window. A computation's completion is
 * when its evidence was collected; a point without one (registry points) was collected when it was recorded.
 */
export async function listAssessedPoints(
  db: Queryable,
  input: { catalogId: string; from: string; to: string },
): Promise<AssessedPoint[]> {
  const result = await db.query<AssessedPoint>(
    `select p.id, p.control_id as "controlId", p.scope_key as "scopeKey", p.scope, p.window_start as "windowStart",
            p.window_end as "windowEnd", p.value::text as value, p.threshold::text as threshold, p.result,
            p.computation_id as "computationId", p.evidence_digest as "evidenceDigest", p.hash, p.source,
            coalesce(c.completed_at, p.created_at) as "collectedAt"
       from points p left join computations c on c.id = p.computation_id
      where p.catalog_id = $1 and p.window_start >= $2 and p.window_start < $3
      order by p.control_id, p.scope_key, p.window_start, p.source`,
    [input.catalogId, input.from, input.to],
  );
  return result.rows.map((row) => ({
    ...row,
    windowStart: iso(row.windowStart),
    windowEnd: iso(row.windowEnd),
    collectedAt: iso(row.collectedAt),
  }));
}

function iso(instant: string | Date): string {
  return new Date(instant).toISOString();
}
