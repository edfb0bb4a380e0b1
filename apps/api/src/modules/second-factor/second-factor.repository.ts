import type { Role } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

export interface TotpRow {
  secretEncrypted: string;
  confirmedAt: string | null;
  lastUsedStep: number | null;
}

export async function findTotp(db: Queryable, userId: string): Promise<TotpRow | undefined> {
  const result = await db.query<TotpRow>(
    `select secret_encrypted as "secretEncrypted", confirmed_at as "confirmedAt", last_used_step as "lastUsedStep"
       from user_totp where user_id = $1`,
    [userId],
  );
  return result.rows[0];
}

/** Starts (or restarts) an unconfirmed enrolment; a confirmed one is left alone (false). */
export async function upsertUnconfirmedTotp(
  db: Queryable,
  input: { userId: string; secretEncrypted: string; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `insert into user_totp (user_id, secret_encrypted, created_at) values ($1, $2, $3)
     on conflict (user_id) do update set secret_encrypted = excluded.secret_encrypted, created_at = excluded.created_at,
       last_used_step = null
      where user_totp.confirmed_at is null`,
    [input.userId, input.secretEncrypted, input.now],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Accepts a time step for a user only if it is later than the last accepted one (atomic, so two requests with the
 * same code cannot both pass); `confirmAt` also confirms an enrolment.
 */
export async function acceptTotpStep(
  db: Queryable,
  input: { userId: string; step: number; confirmAt?: Date },
): Promise<boolean> {
  const result = await db.query(
    `update user_totp set last_used_step = $2, confirmed_at = coalesce(confirmed_at, $3)
      where user_id = $1 and (last_used_step is null or last_used_step < $2)`,
    [input.userId, input.step, input.confirmAt ?? null],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function deleteTotp(db: Queryable, userId: string): Promise<boolean> {
  const result = await db.query(`delete from user_totp where user_id = $1`, [userId]);
  await db.query(`delete from user_recovery_codes where user_id = $1`, [userId]);
  return (result.rowCount ?? 0) > 0;
}

export async function replaceRecoveryCodes(
  db: Queryable,
  input: { userId: string; codeHashes: string[]; now: Date },
): Promise<void> {
  await db.query(`delete from user_recovery_codes where user_id = $1`, [input.userId]);
  await db.query(`insert into user_recovery_codes (user_id, code_hash, created_at) select $1, unnest($2::text[]), $3`, [
    input.userId,
    input.codeHashes,
    input.now,
  ]);
}

/** Uses a recovery code once; false when it is unknown or already used. */
export async function useRecoveryCode(
  db: Queryable,
  input: { userId: string; codeHash: string; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `update user_recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null`,
    [input.userId, input.codeHash, input.now],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const result = await db.query<{ count: number }>(
    `select count(*) as count from user_recovery_codes where user_id = $1 and used_at is null`,
    [userId],
  );
  return Number(result.rows[0]?.count ?? 0);
}

export async function listRequiredRoles(db: Queryable): Promise<Role[]> {
  const result = await db.query<{ role: Role }>(`select role from second_factor_policy where is_required`);
  return result.rows.map((row) => row.role);
}

export async function upsertPolicy(
  db: Queryable,
  input: { role: Role; isRequired: boolean; updatedBy: string | null; now: Date },
): Promise<void> {
  await db.query(
    `insert into second_factor_policy (role, is_required, updated_by, updated_at) values ($1, $2, $3, $4)
     on conflict (role) do update set is_required = excluded.is_required, updated_by = excluded.updated_by,
       updated_at = excluded.updated_at`,
    [input.role, input.isRequired, input.updatedBy, input.now],
  );
}

/** Key rotation: every stored TOTP secret, locked until the rotation's transaction ends. */
export async function listEncryptedTotpSecretsForUpdate(db: Queryable): Promise<{ id: string; blob: string }[]> {
  const result = await db.query<{ id: string; blob: string }>(
    `select user_id::text as id, secret_encrypted as blob from user_totp order by user_id for update`,
  );
  return result.rows;
}

export async function writeEncryptedTotpSecret(db: Queryable, userId: string, blob: string): Promise<void> {
  await db.query(`update user_totp set secret_encrypted = $2 where user_id = $1`, [userId, blob]);
}
