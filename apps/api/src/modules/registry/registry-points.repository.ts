import type { Queryable } from "../../db/database.ts";
import type { NewPoint } from "../points/points.repository.ts";

/**
 * Locks the chains of these controls (their rows, in id order like the engine's store, so the two never deadlock)
 * and reads their heads. Held until the transaction ends: registry points append to the same chains as the engine's.
 */
export async function lockChainHeads(
  tx: Queryable,
  controlIds: string[],
): Promise<Map<string, { head: string | null; length: number }>> {
  const result = await tx.query<{ id: string; head: string | null; length: string }>(
    "select id, chain_head as head, chain_length as length from controls where id = any($1::uuid[]) order by id for update",
    [controlIds],
  );
  return new Map(result.rows.map((row) => [row.id, { head: row.head, length: Number(row.length) }]));
}

/** Our computations the registry's evidences name, with their evidence digest (to link points to their evidence). */
export interface LinkedComputation {
  controlId: string;
  evidenceDigest: string | null;
  result: "pass" | "fail" | "not_applicable" | null;
}

export async function findComputationDigests(db: Queryable, ids: string[]): Promise<Map<string, LinkedComputation>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<LinkedComputation & { id: string }>(
    `select id, control_id as "controlId", evidence_digest as "evidenceDigest", result from computations where id = any($1::uuid[]) and status = 'ready'`,
    [ids],
  );
  return new Map(result.rows.map(({ id, ...row }) => [id, row]));
}

/** Appends planned points in chain order and moves each chain's head; the caller holds the chain locks. */
export async function appendChainedPoints(
  tx: Queryable,
  points: NewPoint[],
  heads: { controlId: string; head: string; added: number }[],
): Promise<void> {
  if (points.length === 0) return;
  await tx.query(
    `with stored as (
       insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold, result,
                           computation_id, evidence_digest, prev_hash, hash)
       select x.id, x."controlId", x."catalogId", x.source, x.scope, x."scopeKey", x."windowStart", x."windowEnd", x.value, x.threshold,
              x.result, x."computationId", x."evidenceDigest", x."prevHash", x.hash
         from jsonb_to_recordset($1::jsonb) as x(id uuid, "controlId" uuid, "catalogId" uuid, source text, scope jsonb, "scopeKey" text,
              "windowStart" timestamptz, "windowEnd" timestamptz, value numeric, threshold numeric, result text, "computationId" uuid,
              "evidenceDigest" text, "prevHash" text, hash text, ord int)
        -- seq (the chain order) is drawn in this order, which is the order the hashes link.
        order by x.ord
       returning 1
     )
     update controls c set chain_head = x.head, chain_length = c.chain_length + x.added
       from jsonb_to_recordset($2::jsonb) as x("controlId" uuid, head text, added int) where c.id = x."controlId"`,
    [JSON.stringify(points.map((point, ord) => ({ ...point, ord }))), JSON.stringify(heads)],
  );
}
