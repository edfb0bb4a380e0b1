import { afterEach, describe, expect, it } from "vitest";
import { createMemoryCache } from "../../cache/memory-cache.ts";
import type { Cache } from "../../cache/cache.ts";
import { endAllSessions, isSessionActive, rotateRefreshToken, startSession, type SessionStore } from "./sessions.ts";

const TTL_SECONDS = 300;
const USER_ID = "8d3c6f0e-5a4b-4c1d-9e2f-1a2b3c4d5e6f";

describe("sessions kept alive by refreshing", () => {
  let nowMs = Date.parse("2025-01-01T00:00:00Z");
  let cache: Cache;
  afterEach(() => cache?.close());

  function sessionStore(): SessionStore {
    cache = createMemoryCache(() => nowMs);
    return { cache, ttlSeconds: TTL_SECONDS, now: () => new Date(nowMs) };
  }

  it("are still ended by endAllSessions after living longer than the refresh TTL", async () => {
    const store = sessionStore();
    const { familyId, refreshToken } = await startSession(store, USER_ID);
    nowMs += 200_000;
    const rotated = await rotateRefreshToken(store, refreshToken);
    nowMs += 200_000;
    await rotateRefreshToken(store, rotated.refreshToken);
    expect(await isSessionActive(cache, familyId)).toBe(true);

    const ended = await endAllSessions(cache, USER_ID);

    expect(ended).toBe(1);
    expect(await isSessionActive(cache, familyId)).toBe(false);
  });

  it("expire when not refreshed within the TTL", async () => {
    const store = sessionStore();
    const { familyId, refreshToken } = await startSession(store, USER_ID);
    nowMs += (TTL_SECONDS + 1) * 1000;

    await expect(rotateRefreshToken(store, refreshToken)).rejects.toMatchObject({ code: "token_invalid" });
    expect(await isSessionActive(cache, familyId)).toBe(false);
  });
});
