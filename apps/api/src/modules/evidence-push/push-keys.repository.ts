import type { EvidenceSubmissionResult } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/** How long an idempotency key is remembered. */
export const PUSH_KEY_TTL_HOURS = 24;

export interface StoredPushKey {
  controlId: string;
  bodyDigest: string;
  result: EvidenceSubmissionResult;
}

/** The answer kept for a key of this credential, if it is younger than a day. */
export async function findPushKey(
  db: Queryable,
  ownerKey: string,
  idempotencyKey: string,
): Promise<StoredPushKey | undefined> {
  const result = await db.query<StoredPushKey>(
    `select control_id as "controlId", body_digest as "bodyDigest", result from evidence_push_keys
      where owner_key = $1 and idempotency_key = $2 and created_at > now() - $3 * interval '1 hour'`,
    [ownerKey, idempotencyKey, PUSH_KEY_TTL_HOURS],
  );
  return result.rows[0];
}

/**
 * Remembers a key with its answer, in the submission's transaction; a key older than a day is taken over. False when
 * a concurrent request with the same key got there first (the caller rolls back and answers as a retry).
 */
export async function savePushKey(
  tx: Queryable,
  input: StoredPushKey & { ownerKey: string; idempotencyKey: string },
): Promise<boolean> {
  const result = await tx.query(
    `insert into evidence_push_keys (owner_key, idempotency_key, control_id, body_digest, computation_id, result)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (owner_key, idempotency_key) do update
       set control_id = excluded.control_id, body_digest = excluded.body_digest, computation_id = excluded.computation_id,
           result = excluded.result, created_at = now()
       where evidence_push_keys.created_at <= now() - $7 * interval '1 hour'`,
    [
      input.ownerKey,
      input.idempotencyKey,
      input.controlId,
      input.bodyDigest,
      input.result.computationId,
      JSON.stringify(input.result),
      PUSH_KEY_TTL_HOURS,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Forgets keys older than a day. */
export async function deleteExpiredPushKeys(db: Queryable): Promise<number> {
  const result = await db.query("delete from evidence_push_keys where created_at <= now() - $1 * interval '1 hour'", [
    PUSH_KEY_TTL_HOURS,
  ]);
  return result.rowCount ?? 0;
}
