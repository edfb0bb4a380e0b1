import type { Queryable } from "../../db/database.ts";
import { isoTextSql } from "../../db/timestamptz.ts";

/** An accepted exception for a failing point: the failure is recorded, and justified rather than counted. */
export interface PointException {
  id: string;
  justification: string;
  approvedBy: string | null;
  approvedAt: string;
  expiresAt?: string;
}

/**
 * The exceptions recorded for these points (the handling module's `point_exceptions`), by point id. A revoked
 * exception is left out: it no longer justifies the failure. An expired one stays: it justified the failure while
 * it ran, and the auditor sees its expiry.
 */
export async function listExceptionsOfPoints(
  deps: { db: Queryable },
  pointIds: readonly string[],
): Promise<Map<string, PointException[]>> {
  const byPoint = new Map<string, PointException[]>();
  if (pointIds.length === 0) return byPoint;
  const result = await deps.db.query<PointException & { pointId: string }>(
    `select id, point_id as "pointId", justification, approver_name as "approvedBy",
            ${isoTextSql("created_at")} as "approvedAt",
            ${isoTextSql("expires_at")} as "expiresAt"
       from point_exceptions
      where point_id = any($1::uuid[]) and revoked_at is null
      order by created_at, id`,
    [pointIds],
  );
  for (const { pointId, ...exception } of result.rows) {
    byPoint.set(pointId, [...(byPoint.get(pointId) ?? []), exception]);
  }
  return byPoint;
}
