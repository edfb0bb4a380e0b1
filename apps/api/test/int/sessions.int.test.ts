import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisCache } from "../../src/cache/redis-cache.ts";
import { isSessionActive } from "../../src/modules/sessions/index.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { TEST_REDIS_URL } from "../test-env.ts";
import { buildUser, getMe, logIn, postRefresh } from "../user-factory.ts";

/** Sessions are rows in Postgres (the truth); Redis only speeds up the per-request check and may be empty or down. */

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

async function sessionRows(app: TestApp, userId: string) {
  const { rows } = await app.deps.db.query(
    `select id, auth_method, user_agent, device_label, ip_address, created_at, last_used_at, expires_at, revoked_at,
            revoke_reason, second_factor_verified_at
       from sessions where user_id = $1 order by created_at`,
    [userId],
  );
  return rows;
}

/** Deletes every key of the app's Redis prefix: what FLUSHALL does to an installation that owns its Redis. */
async function flushAppKeys(app: TestApp): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${app.environment.REDIS_KEY_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

describe("sessions in Postgres", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.setNow(undefined));
  afterAll(() => app?.close());

  it("records each sign-in as a row: method, device, address, created, last used and expiry", async () => {
    const user = await buildUser(app);

    const login = await request(app, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password },
      headers: { "user-agent": FIREFOX },
    });

    expect(login.status).toBe(200);
    const [row] = await sessionRows(app, user.id);
    expect(row).toEqual({
      id: expect.any(String),
      auth_method: "password",
      user_agent: FIREFOX,
      device_label: "Firefox on Linux",
      ip_address: expect.stringMatching(/127\.0\.0\.1/),
      created_at: expect.any(String),
      last_used_at: row.created_at,
      expires_at: new Date(Date.parse(row.created_at) + app.config.auth.refreshTokenTtlSeconds * 1000).toISOString(),
      revoked_at: null,
      revoke_reason: null,
      second_factor_verified_at: null,
    });
  });

  it("moves last use and the sliding expiry on refresh, and keeps the session alive past the refresh TTL", async () => {
    const user = await buildUser(app);
    const first = await logIn(app, user);
    const ttlMs = app.config.auth.refreshTokenTtlSeconds * 1000;
    const start = Date.now();
    app.setNow(new Date(start + ttlMs * 0.7));
    const second = (await postRefresh(app, first.refreshToken)).body.tokens!;
    app.setNow(new Date(start + ttlMs * 1.4));

    const third = await postRefresh(app, second.refreshToken);

    expect(third.status).toBe(200);
    const [row] = await sessionRows(app, user.id);
    expect(row.last_used_at).toBe(new Date(start + ttlMs * 1.4).toISOString());
    expect(row.expires_at).toBe(new Date(start + ttlMs * 2.4).toISOString());
    expect((await getMe(app, third.body.tokens!.accessToken)).status).toBe(200);
  });

  it("expires a session that is not refreshed within the TTL: refresh and access both refused", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    const [row] = await sessionRows(app, user.id);
    app.setNow(new Date(Date.parse(row.expires_at) + 1_000));

    expectProblem(await postRefresh(app, session.refreshToken), 401, "token_invalid");
    expect(await isSessionActive(app.deps, row.id)).toBe(false);
  });

  it("records why a session ended: logout, reuse of a refresh token, a password change", async () => {
    const user = await buildUser(app);
    const loggedOut = await logIn(app, user);
    const reused = await logIn(app, user);
    const other = await logIn(app, user);
    const changing = await logIn(app, user);
    await request(app, "POST", "/api/v1/auth/logout", { token: loggedOut.accessToken });
    await postRefresh(app, reused.refreshToken);
    app.setNow(new Date(Date.now() + 11_000));
    expectProblem(await postRefresh(app, reused.refreshToken), 401, "refresh_token_reused");
    app.setNow(undefined);

    const change = await request(app, "POST", "/api/v1/auth/password", {
      token: changing.accessToken,
      body: { currentPassword: user.password, newPassword: "another long passphrase" },
    });

    expect(change.status).toBe(200);
    expect((await sessionRows(app, user.id)).map((row) => row.revoke_reason)).toEqual([
      "logout",
      "refresh_token_reused",
      "password_changed",
      null,
    ]);
    expectProblem(await getMe(app, other.accessToken), 401, "token_invalid");
  });

  it("signs nobody out when Redis is emptied: access tokens and refresh tokens keep working", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    expect((await getMe(app, session.accessToken)).status).toBe(200);

    expect(await flushAppKeys(app)).toBeGreaterThan(0);

    expect((await getMe(app, session.accessToken)).status).toBe(200);
    const refreshed = await postRefresh(app, session.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await getMe(app, refreshed.body.tokens!.accessToken)).status).toBe(200);
  });

  it("ends a session at once even while the cache holds it as active", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    expect((await getMe(app, session.accessToken)).status).toBe(200);
    const redis = new Redis(TEST_REDIS_URL);
    const cached = await redis.keys(`${app.environment.REDIS_KEY_PREFIX}auth:session:*`);
    redis.disconnect();
    expect(cached.length).toBeGreaterThan(0);

    await request(app, "POST", "/api/v1/auth/logout", { token: session.accessToken });

    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
  });

  it("answers from Postgres when the cache is down", async () => {
    const user = await buildUser(app);
    const open = await logIn(app, user);
    const ended = await logIn(app, user);
    await request(app, "POST", "/api/v1/auth/logout", { token: ended.accessToken });
    const [openRow, endedRow] = await sessionRows(app, user.id);
    // Nothing listens on port 1: every command of this cache fails.
    const downCache = createRedisCache("redis://127.0.0.1:1", "status-test-down:");
    try {
      const deps = { ...app.deps, cache: downCache };

      expect(await isSessionActive(deps, openRow.id)).toBe(true);
      expect(await isSessionActive(deps, endedRow.id)).toBe(false);
    } finally {
      await downCache.close().catch(() => undefined);
    }
    expect((await getMe(app, open.accessToken)).status).toBe(200);
  });

  it("ends every session of a deleted user at once", async () => {
    const admin = await logIn(app, await buildUser(app, { role: "ADMIN" }));
    const user = await buildUser(app);
    const session = await logIn(app, user);
    expect((await getMe(app, session.accessToken)).status).toBe(200);

    const deleted = await request(app, "DELETE", `/api/v1/users/${user.id}`, { token: admin.accessToken });

    expect(deleted.status).toBe(204);
    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
    expect(await sessionRows(app, user.id)).toEqual([]);
  });
});
