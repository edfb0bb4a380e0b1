import type { Queryable } from "../../db/database.ts";

/** Where a control's chain was last verified intact (migration 0064). */
export interface ChainCheckpoint {
  pointId: string;
  seq: string;
  hash: string;
  pointCount: number;
  pointsByHashScheme: Record<string, number>;
}

/**
 * The control's checkpoint, if it still holds: its point is still in the chain at its seq with its hash, and the chain
 * up to it still has as many points (an index-only count on points_control_seq_idx). A removed or edited point before
 * it voids the checkpoint, and verification starts from the first point again.
 */
export async function findValidCheckpoint(db: Queryable, controlId: string): Promise<ChainCheckpoint | undefined> {
  const result = await db.query<ChainCheckpoint>(
    `select k.point_id as "pointId", k.seq::text as seq, k.hash, k.point_count::int as "pointCount",
            k.points_by_hash_scheme as "pointsByHashScheme"
       from point_chain_checkpoints k
       join points p on p.id = k.point_id and p.control_id = k.control_id and p.seq = k.seq and p.hash = k.hash
      where k.control_id = $1
        and (select count(*) from points c where c.control_id = k.control_id and c.seq <= k.seq) = k.point_count`,
    [controlId],
  );
  return result.rows[0];
}

/** Records that the chain was intact up to and including this point. */
export async function saveCheckpoint(
  db: Queryable,
  controlId: string,
  checkpoint: ChainCheckpoint,
  verifiedAt: Date,
): Promise<void> {
  await db.query(
    `insert into point_chain_checkpoints (control_id, point_id, seq, hash, point_count, points_by_hash_scheme, verified_at)
     values ($1, $2, $3::bigint, $4, $5, $6::jsonb, $7)
     on conflict (control_id) do update
       set point_id = excluded.point_id, seq = excluded.seq, hash = excluded.hash, point_count = excluded.point_count,
           points_by_hash_scheme = excluded.points_by_hash_scheme, verified_at = excluded.verified_at`,
    [
      controlId,
      checkpoint.pointId,
      checkpoint.seq,
      checkpoint.hash,
      checkpoint.pointCount,
      JSON.stringify(checkpoint.pointsByHashScheme),
      verifiedAt,
    ],
  );
}
