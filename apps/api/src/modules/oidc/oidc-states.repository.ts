import type { Queryable } from "../../db/database.ts";

export async function insertOidcState(
  db: Queryable,
  row: { stateHash: string; codeVerifier: string; nonce: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query(`delete from oidc_login_states where expires_at < $1`, [row.now]);
  await db.query(
    `insert into oidc_login_states (state_hash, code_verifier, nonce, created_at, expires_at) values ($1, $2, $3, $4, $5)`,
    [row.stateHash, row.codeVerifier, row.nonce, row.now, row.expiresAt],
  );
}

export type OidcStateLookup =
  { outcome: "consumed"; codeVerifier: string; nonce: string } | { outcome: "unknown" | "used" | "expired" };

/** Uses a state once (atomically); says why not when it cannot be used. */
export async function consumeOidcState(
  db: Queryable,
  input: { stateHash: string; now: Date },
): Promise<OidcStateLookup> {
  const consumed = await db.query<{ codeVerifier: string; nonce: string }>(
    `update oidc_login_states set used_at = $2
      where state_hash = $1 and used_at is null and expires_at > $2
      returning code_verifier as "codeVerifier", nonce`,
    [input.stateHash, input.now],
  );
  const row = consumed.rows[0];
  if (row) return { outcome: "consumed", ...row };
  const existing = await db.query<{ usedAt: string | null }>(
    `select used_at as "usedAt" from oidc_login_states where state_hash = $1`,
    [input.stateHash],
  );
  if (!existing.rows[0]) return { outcome: "unknown" };
  return { outcome: existing.rows[0].usedAt ? "used" : "expired" };
}
