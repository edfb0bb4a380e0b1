import type { Queryable } from "../../db/database.ts";

/** Why a session ended; the values the sessions table accepts. */
export type SessionRevokeReason =
  | "logout"
  | "refresh_token_reused"
  | "password_changed"
  | "account_changed"
  | "account_disabled"
  | "account_deleted"
  | "revoked_by_user"
  | "revoked_by_admin";

export type SessionAuthMethod = "password" | "github" | "oidc";

export interface NewSessionRow {
  id: string;
  userId: string;
  authMethod: SessionAuthMethod;
  userAgent: string | null;
  deviceLabel: string | null;
  ipAddress: string | null;
  now: Date;
  expiresAt: Date;
  secondFactorVerifiedAt: Date | null;
}

export async function insertSession(db: Queryable, row: NewSessionRow): Promise<void> {
  await db.query(
    `insert into sessions (id, user_id, auth_method, user_agent, device_label, ip_address, created_at, last_used_at,
                           expires_at, second_factor_verified_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [
      row.id,
      row.userId,
      row.authMethod,
      row.userAgent,
      row.deviceLabel,
      row.ipAddress,
      row.now,
      row.expiresAt,
      row.secondFactorVerifiedAt,
    ],
  );
}

export async function insertRefreshToken(
  db: Queryable,
  row: { tokenHash: string; sessionId: string; issuedAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into session_refresh_tokens (token_hash, session_id, issued_at, expires_at) values ($1, $2, $3, $4)`,
    [row.tokenHash, row.sessionId, row.issuedAt, row.expiresAt],
  );
}

/** A refresh token with its session, as rotation needs it. */
export interface RefreshTokenRow {
  sessionId: string;
  userId: string;
  tokenExpiresAt: string;
  usedAt: string | null;
  sessionExpiresAt: string;
  revokedAt: string | null;
}

/** The token and its session; `forUpdate` locks the token row, so two exchanges of one token run one at a time. */
export async function findRefreshToken(
  db: Queryable,
  tokenHash: string,
  options: { forUpdate?: boolean } = {},
): Promise<RefreshTokenRow | undefined> {
  const result = await db.query<RefreshTokenRow>(
    `select t.session_id as "sessionId", s.user_id as "userId", t.expires_at as "tokenExpiresAt", t.used_at as "usedAt",
            s.expires_at as "sessionExpiresAt", s.revoked_at as "revokedAt"
       from session_refresh_tokens t join sessions s on s.id = t.session_id
      where t.token_hash = $1 ${options.forUpdate ? "for update of t" : ""}`,
    [tokenHash],
  );
  return result.rows[0];
}

export async function markRefreshTokenUsed(db: Queryable, tokenHash: string, usedAt: Date): Promise<void> {
  await db.query(`update session_refresh_tokens set used_at = $2 where token_hash = $1`, [tokenHash, usedAt]);
}

/** A refresh moves the session's sliding expiry and records where it was used from. */
export async function touchSession(
  db: Queryable,
  input: { id: string; now: Date; expiresAt: Date; userAgent: string | null; ipAddress: string | null },
): Promise<void> {
  await db.query(
    `update sessions set last_used_at = $2, expires_at = $3, user_agent = coalesce($4, user_agent), ip_address = coalesce($5, ip_address)
      where id = $1`,
    [input.id, input.now, input.expiresAt, input.userAgent, input.ipAddress],
  );
}

/** The user of a session that is neither revoked nor expired at `now`. */
export async function findActiveSession(
  db: Queryable,
  id: string,
  now: Date,
): Promise<{ userId: string; expiresAt: string } | undefined> {
  const result = await db.query<{ userId: string; expiresAt: string }>(
    `select user_id as "userId", expires_at as "expiresAt" from sessions
      where id = $1 and revoked_at is null and expires_at > $2`,
    [id, now],
  );
  return result.rows[0];
}

/** Revokes one session if it is still open; true when it was. */
export async function revokeSessionRow(
  db: Queryable,
  id: string,
  reason: SessionRevokeReason,
  now: Date,
): Promise<boolean> {
  const result = await db.query(
    `update sessions set revoked_at = $3, revoke_reason = $2 where id = $1 and revoked_at is null`,
    [id, reason, now],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Revokes every open session of a user but `keepId`, if given; answers their ids, to drop them from the cache. */
export async function revokeUserSessionRows(
  db: Queryable,
  userId: string,
  reason: SessionRevokeReason,
  now: Date,
  keepId?: string,
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `update sessions set revoked_at = $3, revoke_reason = $2
      where user_id = $1 and revoked_at is null and expires_at > $3 and ($4::uuid is null or id <> $4::uuid)
      returning id`,
    [userId, reason, now, keepId ?? null],
  );
  return result.rows.map((row) => row.id);
}

/** A session as its owner sees it in their list. */
export interface SessionListRow {
  id: string;
  authMethod: SessionAuthMethod;
  deviceLabel: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  secondFactorVerifiedAt: string | null;
}

/** The user's sessions that are neither revoked nor expired at `now`, most recently used first. */
export async function listActiveSessionsOfUser(db: Queryable, userId: string, now: Date): Promise<SessionListRow[]> {
  const result = await db.query<SessionListRow>(
    `select id, auth_method as "authMethod", device_label as "deviceLabel", user_agent as "userAgent",
            ip_address as "ipAddress", created_at as "createdAt", last_used_at as "lastUsedAt",
            expires_at as "expiresAt", second_factor_verified_at as "secondFactorVerifiedAt"
       from sessions where user_id = $1 and revoked_at is null and expires_at > $2
      order by last_used_at desc, created_at desc`,
    [userId, now],
  );
  return result.rows;
}

/** Revokes one open session only if it belongs to `userId`; true when it did. */
export async function revokeSessionRowOfUser(
  db: Queryable,
  input: { id: string; userId: string; reason: SessionRevokeReason; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `update sessions set revoked_at = $4, revoke_reason = $3
      where id = $1 and user_id = $2 and revoked_at is null and expires_at > $4`,
    [input.id, input.userId, input.reason, input.now],
  );
  return (result.rowCount ?? 0) > 0;
}
