import type { Queryable } from "../../db/database.ts";

export type PendingLoginPurpose = "verify" | "enrol";

export interface PendingLoginRow {
  userId: string;
  purpose: PendingLoginPurpose;
  authMethod: "password" | "github";
  failedAttempts: number;
}

export async function insertPendingLogin(
  db: Queryable,
  row: PendingLoginRow & {
    tokenHash: string;
    ipAddress: string | null;
    userAgent: string | null;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.query(
    `insert into pending_logins (token_hash, user_id, purpose, auth_method, ip_address, user_agent, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.tokenHash, row.userId, row.purpose, row.authMethod, row.ipAddress, row.userAgent, row.now, row.expiresAt],
  );
}

/** A pending login that is unused, unexpired and not worn out by wrong codes; undefined otherwise. */
export async function findUsablePendingLogin(
  db: Queryable,
  input: { tokenHash: string; now: Date; maxFailedAttempts: number },
): Promise<PendingLoginRow | undefined> {
  const result = await db.query<PendingLoginRow>(
    `select user_id as "userId", purpose, auth_method as "authMethod", failed_attempts as "failedAttempts"
       from pending_logins
      where token_hash = $1 and used_at is null and expires_at > $2 and failed_attempts < $3`,
    [input.tokenHash, input.now, input.maxFailedAttempts],
  );
  return result.rows[0];
}

/** Uses the pending login up; false when another request already did (or it expired meanwhile). */
export async function consumePendingLogin(db: Queryable, input: { tokenHash: string; now: Date }): Promise<boolean> {
  const result = await db.query(
    `update pending_logins set used_at = $2 where token_hash = $1 and used_at is null and expires_at > $2`,
    [input.tokenHash, input.now],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function countPendingLoginFailure(db: Queryable, tokenHash: string): Promise<void> {
  await db.query(`update pending_logins set failed_attempts = failed_attempts + 1 where token_hash = $1`, [tokenHash]);
}

/** Pending logins end within minutes; older rows are of no use to anyone. */
export async function deleteExpiredPendingLogins(db: Queryable, before: Date): Promise<void> {
  await db.query(`delete from pending_logins where expires_at < $1`, [before]);
}
