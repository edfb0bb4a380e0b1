import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Cache } from "../../cache/cache.ts";
import { cacheKeys } from "../../cache/keys.ts";
import { UnauthenticatedError } from "../../errors.ts";
import { randomToken } from "../../lib/random-token.ts";
import { sha256Hex } from "../../lib/sha256.ts";

/**
 * Sessions are refresh-token families kept in the cache with a TTL. Each refresh exchanges the token for a new one
 * of the same family; presenting an exchanged token again means it was stolen (or replayed), so the whole family
 * is revoked — except within a short grace period, where it is a race between two tabs of the same browser.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 10;
const REFRESH_TOKEN_PREFIX = "srt_";

const RefreshRecordSchema = z.object({ userId: z.string(), familyId: z.string() });
const SessionRecordSchema = z.object({ userId: z.string() });

export interface SessionStore {
  cache: Cache;
  ttlSeconds: number;
  now: () => Date;
}

export interface IssuedRefreshToken {
  familyId: string;
  refreshToken: string;
}

/** Starts a new session for a user and returns its first refresh token. */
export async function startSession(store: SessionStore, userId: string): Promise<IssuedRefreshToken> {
  const familyId = randomUUID();
  await store.cache.set(cacheKeys.session(familyId), JSON.stringify({ userId }), store.ttlSeconds);
  await store.cache.addToSet(cacheKeys.userSessions(userId), familyId, store.ttlSeconds);
  return { familyId, refreshToken: await issueRefreshToken(store, userId, familyId) };
}

async function issueRefreshToken(store: SessionStore, userId: string, familyId: string): Promise<string> {
  const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomToken()}`;
  await store.cache.set(
    cacheKeys.refreshToken(sha256Hex(refreshToken)),
    JSON.stringify({ userId, familyId }),
    store.ttlSeconds,
  );
  return refreshToken;
}

/** Exchanges a refresh token for a new one of the same session; detects reuse. */
export async function rotateRefreshToken(
  store: SessionStore,
  refreshToken: string,
): Promise<{ userId: string; familyId: string; refreshToken: string }> {
  const tokenHash = sha256Hex(refreshToken);
  const raw = await store.cache.get(cacheKeys.refreshToken(tokenHash));
  const record = raw ? RefreshRecordSchema.safeParse(JSON.parse(raw)) : undefined;
  if (!record?.success)
    throw new UnauthenticatedError("token_invalid", "The refresh token is unknown or expired; sign in again");
  const { userId, familyId } = record.data;

  const nowMs = store.now().getTime();
  const isFirstUse = await store.cache.setIfAbsent(
    cacheKeys.refreshTokenUsed(tokenHash),
    String(nowMs),
    store.ttlSeconds,
  );
  if (!isFirstUse) {
    const usedAt = Number(await store.cache.get(cacheKeys.refreshTokenUsed(tokenHash)));
    if (nowMs - usedAt <= REFRESH_REUSE_GRACE_SECONDS * 1000) {
      throw new UnauthenticatedError("token_invalid", "This refresh token was just exchanged; use the new one");
    }
    await endSession(store, userId, familyId);
    throw new UnauthenticatedError(
      "refresh_token_reused",
      "This refresh token was already used; the session has been ended for safety",
    );
  }
  if (!(await isSessionActive(store.cache, familyId))) {
    throw new UnauthenticatedError("token_invalid", "The session has ended; sign in again");
  }
  await store.cache.set(cacheKeys.session(familyId), JSON.stringify({ userId }), store.ttlSeconds);
  // The user's index of sessions must outlive every session in it, or endAllSessions would miss this one.
  await store.cache.addToSet(cacheKeys.userSessions(userId), familyId, store.ttlSeconds);
  return { userId, familyId, refreshToken: await issueRefreshToken(store, userId, familyId) };
}

/** The user of a refresh token without consuming it (used by logout). */
export async function peekRefreshToken(
  cache: Cache,
  refreshToken: string,
): Promise<{ userId: string; familyId: string } | undefined> {
  const raw = await cache.get(cacheKeys.refreshToken(sha256Hex(refreshToken)));
  const record = raw ? RefreshRecordSchema.safeParse(JSON.parse(raw)) : undefined;
  return record?.success ? record.data : undefined;
}

export async function isSessionActive(cache: Cache, familyId: string): Promise<boolean> {
  const raw = await cache.get(cacheKeys.session(familyId));
  return raw !== null && SessionRecordSchema.safeParse(JSON.parse(raw)).success;
}

/** Ends one session: its access tokens stop working at once and its refresh tokens are refused. */
export async function endSession(store: Pick<SessionStore, "cache">, userId: string, familyId: string): Promise<void> {
  await store.cache.del(cacheKeys.session(familyId));
  await store.cache.removeFromSet(cacheKeys.userSessions(userId), familyId);
}

/** Ends every session of a user (password change, role change, disabling, deletion). */
export async function endAllSessions(cache: Cache, userId: string): Promise<number> {
  const families = await cache.setMembers(cacheKeys.userSessions(userId));
  if (families.length > 0) await cache.del(...families.map((familyId) => cacheKeys.session(familyId)));
  await cache.del(cacheKeys.userSessions(userId));
  return families.length;
}
