import { randomUUID } from "node:crypto";
import type { UserSession } from "@status/shared";
import { z } from "zod";
import { cacheKeys } from "../../cache/keys.ts";
import { credentialKeys, forgetCredentials } from "../../cache/credential-memo.ts";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import { randomToken } from "../../lib/random-token.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { deviceLabel } from "./device-label.ts";
import {
  findActiveSession,
  findRefreshToken,
  insertRefreshToken,
  insertSession,
  listActiveSessionsOfUser,
  markRefreshTokenUsed,
  revokeSessionRow,
  revokeSessionRowOfUser,
  revokeUserSessionRows,
  touchSession,
  type SessionAuthMethod,
  type SessionRevokeReason,
} from "./sessions.repository.ts";

/**
 * Sessions are refresh-token families, one row each in Postgres (the source of truth, so a restart or an emptied
 * cache signs nobody out). Each refresh exchanges the token for a new one of the same family; presenting an exchanged
 * token again means it was stolen (or replayed), so the whole family is revoked — except within a short grace period,
 * where it is a race between two tabs of the same browser. The per-request check reads through the cache.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 10;
/** How long the cache may answer "active" for a session without asking Postgres; revocation also deletes the entry. */
export const SESSION_CACHE_SECONDS = 60;
const REFRESH_TOKEN_PREFIX = "srt_";
const USER_AGENT_MAX = 512;

const CachedSessionSchema = z.object({ userId: z.string() });

export type SessionDeps = Pick<AppDeps, "db" | "cache" | "now" | "log" | "config">;

/** Where a sign-in or refresh came from, recorded on the session. */
export interface SessionClient {
  userAgent?: string | undefined;
  ipAddress?: string | undefined;
}

export interface IssuedRefreshToken {
  familyId: string;
  refreshToken: string;
}

function expiryFrom(deps: SessionDeps, now: Date): Date {
  return new Date(now.getTime() + deps.config.auth.refreshTokenTtlSeconds * 1000);
}

function clientColumns(client: SessionClient): { userAgent: string | null; ipAddress: string | null } {
  return { userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) || null, ipAddress: client.ipAddress || null };
}

async function issueRefreshToken(db: Queryable, sessionId: string, now: Date, expiresAt: Date): Promise<string> {
  const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomToken()}`;
  await insertRefreshToken(db, { tokenHash: sha256Hex(refreshToken), sessionId, issuedAt: now, expiresAt });
  return refreshToken;
}

/** Starts a new session for a user and returns its first refresh token. */
export async function startSession(
  deps: SessionDeps,
  input: { userId: string; authMethod: SessionAuthMethod; isSecondFactorVerified?: boolean } & SessionClient,
): Promise<IssuedRefreshToken> {
  const familyId = randomUUID();
  const now = deps.now();
  const expiresAt = expiryFrom(deps, now);
  const { userAgent, ipAddress } = clientColumns(input);
  const refreshToken = await withTransaction(deps.db, async (tx) => {
    await insertSession(tx, {
      id: familyId,
      userId: input.userId,
      authMethod: input.authMethod,
      userAgent,
      deviceLabel: deviceLabel(userAgent),
      ipAddress,
      now,
      expiresAt,
      secondFactorVerifiedAt: input.isSecondFactorVerified ? now : null,
    });
    return issueRefreshToken(tx, familyId, now, expiresAt);
  });
  return { familyId, refreshToken };
}

type Rotation =
  | { outcome: "rotated"; userId: string; familyId: string; refreshToken: string }
  | { outcome: "refused"; code: "token_invalid"; detail: string }
  | { outcome: "reused"; familyId: string };

/** Exchanges a refresh token for a new one of the same session; detects reuse. */
export async function rotateRefreshToken(
  deps: SessionDeps,
  refreshToken: string,
  client: SessionClient = {},
): Promise<{ userId: string; familyId: string; refreshToken: string }> {
  const tokenHash = sha256Hex(refreshToken);
  const now = deps.now();
  const rotation = await withTransaction(deps.db, async (tx): Promise<Rotation> => {
    const token = await findRefreshToken(tx, tokenHash, { forUpdate: true });
    if (!token || Date.parse(token.tokenExpiresAt) <= now.getTime())
      return {
        outcome: "refused",
        code: "token_invalid",
        detail: "The refresh token is unknown or expired; sign in again",
      };
    if (token.usedAt !== null) {
      if (now.getTime() - Date.parse(token.usedAt) <= REFRESH_REUSE_GRACE_SECONDS * 1000)
        return {
          outcome: "refused",
          code: "token_invalid",
          detail: "This refresh token was just exchanged; use the new one",
        };
      await revokeSessionRow(tx, token.sessionId, "refresh_token_reused", now);
      return { outcome: "reused", familyId: token.sessionId };
    }
    if (token.revokedAt !== null || Date.parse(token.sessionExpiresAt) <= now.getTime())
      return { outcome: "refused", code: "token_invalid", detail: "The session has ended; sign in again" };
    await markRefreshTokenUsed(tx, tokenHash, now);
    const expiresAt = expiryFrom(deps, now);
    await touchSession(tx, { id: token.sessionId, now, expiresAt, ...clientColumns(client) });
    return {
      outcome: "rotated",
      userId: token.userId,
      familyId: token.sessionId,
      refreshToken: await issueRefreshToken(tx, token.sessionId, now, expiresAt),
    };
  });
  if (rotation.outcome === "refused") throw new UnauthenticatedError(rotation.code, rotation.detail);
  if (rotation.outcome === "reused") {
    await forgetCachedSessions(deps, [rotation.familyId]);
    throw new UnauthenticatedError(
      "refresh_token_reused",
      "This refresh token was already used; the session has been ended for safety",
    );
  }
  return { userId: rotation.userId, familyId: rotation.familyId, refreshToken: rotation.refreshToken };
}

/** The session of a refresh token without consuming it (logout, the CSRF check of a cookie refresh). */
export async function peekRefreshToken(
  deps: Pick<SessionDeps, "db">,
  refreshToken: string,
): Promise<{ userId: string; familyId: string } | undefined> {
  const token = await findRefreshToken(deps.db, sha256Hex(refreshToken));
  return token ? { userId: token.userId, familyId: token.sessionId } : undefined;
}

/**
 * Whether a session is active (not revoked, not expired): the cache answers when it knows, Postgres when the cache
 * misses or is down. Only "active" is cached, briefly, and revocation deletes the entry, so sign-out is immediate.
 */
export async function isSessionActive(deps: SessionDeps, familyId: string): Promise<boolean> {
  const key = cacheKeys.session(familyId);
  const cached = await deps.cache.get(key).catch((error: unknown) => {
    deps.log.warn({ err: error }, "cache unavailable: checking the session in the database");
    return null;
  });
  if (cached !== null && CachedSessionSchema.safeParse(JSON.parse(cached)).success) return true;
  const now = deps.now();
  const session = await findActiveSession(deps.db, familyId, now);
  if (!session) return false;
  const secondsLeft = Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000);
  if (secondsLeft >= 1) {
    await deps.cache
      .set(key, JSON.stringify({ userId: session.userId }), Math.min(SESSION_CACHE_SECONDS, secondsLeft))
      .catch(() => undefined);
  }
  return true;
}

/**
 * Drops sessions from this process's credential memo and from the cache after their rows were revoked (best effort:
 * the entries expire soon anyway).
 */
export async function forgetCachedSessions(
  deps: Pick<SessionDeps, "cache" | "log">,
  familyIds: string[],
): Promise<void> {
  if (familyIds.length === 0) return;
  forgetCredentials(deps.cache, familyIds.map(credentialKeys.session));
  await deps.cache.del(...familyIds.map((familyId) => cacheKeys.session(familyId))).catch((error: unknown) => {
    deps.log.warn({ err: error }, "cache unavailable: revoked sessions stay cached until their entries expire");
  });
}

/** Ends one session: its access tokens stop working at once and its refresh tokens are refused. */
export async function endSession(deps: SessionDeps, familyId: string, reason: SessionRevokeReason): Promise<void> {
  await revokeSessionRow(deps.db, familyId, reason, deps.now());
  await forgetCachedSessions(deps, [familyId]);
}

/** Ends every session of a user (password change, role change, disabling); answers how many were open. */
export async function endAllSessions(deps: SessionDeps, userId: string, reason: SessionRevokeReason): Promise<number> {
  const ended = await revokeUserSessionRows(deps.db, userId, reason, deps.now());
  await forgetCachedSessions(deps, ended);
  return ended.length;
}

/** Ends every session of a user except `keepSessionId` (the one asking); answers how many were open. */
export async function endOtherSessions(
  deps: SessionDeps,
  input: { userId: string; keepSessionId: string | undefined; reason: SessionRevokeReason },
): Promise<number> {
  const ended = await revokeUserSessionRows(deps.db, input.userId, input.reason, deps.now(), input.keepSessionId);
  await forgetCachedSessions(deps, ended);
  return ended.length;
}

/**
 * Revokes every session of a user inside the caller's transaction (e.g. the one deleting the user, whose rows then
 * go); pass the answer to forgetCachedSessions after the commit.
 */
export async function revokeAllSessionsIn(
  tx: Queryable,
  input: { userId: string; reason: SessionRevokeReason; now: Date },
): Promise<string[]> {
  return revokeUserSessionRows(tx, input.userId, input.reason, input.now);
}

/** The user's open sessions, most recently used first; `currentSessionId` marks the one asking. */
export async function listUserSessions(
  deps: SessionDeps,
  input: { userId: string; currentSessionId?: string | undefined },
): Promise<UserSession[]> {
  const rows = await listActiveSessionsOfUser(deps.db, input.userId, deps.now());
  return rows.map(({ secondFactorVerifiedAt, ...row }) => ({
    ...row,
    secondFactorVerified: secondFactorVerifiedAt !== null,
    isCurrent: row.id === input.currentSessionId,
  }));
}

/**
 * Ends one open session of a user; false when there is none by that id for them (another user's sessions look the
 * same as missing ones).
 */
export async function endSessionOfUser(
  deps: SessionDeps,
  input: { sessionId: string; userId: string; reason: SessionRevokeReason },
): Promise<boolean> {
  const isEnded = await revokeSessionRowOfUser(deps.db, {
    id: input.sessionId,
    userId: input.userId,
    reason: input.reason,
    now: deps.now(),
  });
  if (isEnded) await forgetCachedSessions(deps, [input.sessionId]);
  return isEnded;
}

export type { SessionAuthMethod, SessionRevokeReason };
