import type { DigestedEvidence } from "@status/verify-pack/chain-hash";
import type { Queryable } from "../../db/database.ts";
import type { ChainPoint } from "./point-chain.repository.ts";

/**
 * What verification needs of a point's computation when the point records an evidence digest: whether retention
 * pruned its detail, the digest it kept, and its stored evidences in position order (instants as Postgres writes a
 * timestamptz column, parsed below exactly as the column would be). All null when the computation is gone.
 */
export interface ChainPointEvidence {
  isPruned: boolean | null;
  keptDigest: string | null;
  evidences: DigestedEvidence[] | null;
}

/** A point of the chain as the walk reads it: every hashed field, its seq, and its computation's evidence. */
export type WalkedPoint = ChainPoint & { seq: string } & ChainPointEvidence;

/**
 * The next `limit` points of a control's chain after `afterSeq`, in order, each with every hashed field and, when it
 * records an evidence digest, its computation's evidences: one statement per batch (one range of
 * points_control_seq_idx, one primary-key lookup of its computation and one of the evidences per point that has them),
 * so a chain of millions is read in keyset batches with flat memory and no second round trip per batch. Instants and
 * numbers come as the database's text, not parsed per row: the hash normalises them itself (to ISO, to fixed
 * precision), and the text parses to what the parsed column would have been, so the bytes hashed are the same.
 */
export async function listChainWalkBatch(
  db: Queryable,
  controlId: string,
  afterSeq: string,
  limit: number,
): Promise<WalkedPoint[]> {
  const result = await db.query<WalkedPoint>(
    `select p.id, p.seq::text as seq, p.control_id as "controlId", p.catalog_id as "catalogId", p.source, p.scope,
            p.scope_key as "scopeKey", p.window_start::text as "windowStart", p.window_end::text as "windowEnd",
            p.value::text as value, p.threshold::text as threshold, p.result, p.computation_id as "computationId",
            p.evidence_digest as "evidenceDigest", p.control_version as "controlVersion", v.digest as "versionDigest",
            p.hash_scheme as "hashScheme", p.created_at::text as "createdAt", p.prev_hash as "prevHash", p.hash,
            e."isPruned", e."keptDigest", e.evidences
       from points p
       left join control_versions v on v.control_id = p.control_id and v.version = p.control_version
       left join lateral (
         select c.detail_pruned_at is not null as "isPruned", c.evidence_digest as "keptDigest",
                -- Instants as text (the column's own output), so they parse below as the columns would.
                (select json_agg(json_build_object('position', d.position, 'key', d.key, 'value', d.value,
                                                   'result', d.result, 'from', d.period_from::text,
                                                   'to', d.period_to::text) order by d.position)
                   from evidences d where d.computation_id = c.id) as evidences
           from computations c
          where c.id = p.computation_id and p.evidence_digest is not null
       ) e on true
      where p.control_id = $1 and p.seq > $2::bigint
      order by p.seq
      limit $3`,
    [controlId, afterSeq, limit],
  );
  return result.rows;
}
