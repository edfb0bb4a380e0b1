import { createHash } from "node:crypto";
import { MeSchema, SessionResponseSchema } from "@status/shared";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { TEST_REDIS_URL } from "../test-env.ts";
import { buildUser, getMe, logIn, postLogin, postRefresh } from "../user-factory.ts";

/**
 * Token-mode sign-in (the throttle: login-lockout.int.test.ts), refresh rotation with reuse detection, and sessions
 * kept in Postgres.
 */

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("password sign-in (token mode)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it("answers the user and an access/refresh token pair, and records the login", async () => {
    const user = await buildUser(app, { role: "DEVELOPER" });

    const response = await postLogin(app, user.username, user.password);

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = SessionResponseSchema.parse(response.body);
    expect(body.user).toMatchObject({ id: user.id, username: user.username, role: "DEVELOPER", authMethod: "session" });
    expect(body.tokens).toMatchObject({
      tokenType: "Bearer",
      expiresIn: app.config.auth.accessTokenTtlSeconds,
      refreshExpiresIn: app.config.auth.refreshTokenTtlSeconds,
    });
    expect(body.tokens?.refreshToken).toMatch(/^srt_/);
    expect(response.headers.getSetCookie()).toEqual([]);
    const { rows } = await app.deps.db.query("select last_login_at from users where id = $1", [user.id]);
    expect(rows[0].last_login_at).not.toBeNull();
    const audit = await app.deps.db.query("select action, resource_type, after from audit_log where actor_id = $1", [
      user.id,
    ]);
    expect(audit.rows).toEqual([{ action: "login", resource_type: "session", after: { method: "password" } }]);
  });

  it("refuses a wrong password with 401 invalid_credentials and records no login", async () => {
    const user = await buildUser(app);

    const response = await postLogin(app, user.username, "not the password");

    const problem = expectProblem(response, 401, "invalid_credentials");
    expect(problem.detail).toBe("The username or password is wrong");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="status"');
    const { rows } = await app.deps.db.query("select last_login_at from users where id = $1", [user.id]);
    expect(rows[0].last_login_at).toBeNull();
  });

  it("refuses an unknown username with the same 401, so usernames cannot be probed", async () => {
    const known = await buildUser(app);
    const wrongPassword = expectProblem(
      await postLogin(app, known.username, "not the password"),
      401,
      "invalid_credentials",
    );

    const unknownUser = await postLogin(app, "nobody-by-this-name", "whatever");

    expect(expectProblem(unknownUser, 401, "invalid_credentials").detail).toBe(wrongPassword.detail);
  });

  it("accepts the access token as Authorization: Bearer and as the legacy x-access-token header", async () => {
    const user = await buildUser(app);
    const { accessToken } = await logIn(app, user);

    const withBearer = await getMe(app, accessToken);
    const withLegacyHeader = await request(app, "GET", "/api/v1/auth/me", {
      headers: { "x-access-token": accessToken },
    });

    expect(withBearer.status).toBe(200);
    expect(MeSchema.parse(withBearer.body)).toMatchObject({
      id: user.id,
      username: user.username,
      authMethod: "session",
    });
    expect(withLegacyHeader.status).toBe(200);
    expect(withLegacyHeader.body).toEqual(withBearer.body);
  });

  it("answers 401 unauthenticated without a credential and token_invalid for a malformed one", async () => {
    expectProblem(await request(app, "GET", "/api/v1/auth/me"), 401, "unauthenticated");
    expectProblem(
      await request(app, "GET", "/api/v1/auth/me", { headers: { authorization: "Basic abc" } }),
      401,
      "token_invalid",
    );
    expectProblem(await getMe(app, "not.a.jwt"), 401, "token_invalid");
  });
});

describe("refresh-token rotation", () => {
  let app: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    app = await startTestApp();
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(() => app.setNow(undefined));
  afterAll(async () => {
    redis?.disconnect();
    await app?.close();
  });

  it("exchanges a refresh token for a new pair; the old and the new access token both work", async () => {
    const user = await buildUser(app);
    const first = await logIn(app, user);

    const response = await postRefresh(app, first.refreshToken);

    expect(response.status).toBe(200);
    const tokens = SessionResponseSchema.parse(response.body).tokens!;
    expect(tokens.refreshToken).not.toBe(first.refreshToken);
    expect((await getMe(app, first.accessToken)).status).toBe(200);
    expect((await getMe(app, tokens.accessToken)).status).toBe(200);
    expect(response.body.user.id).toBe(user.id);
  });

  it("keeps refresh tokens only by hash, in Postgres next to the session they belong to; Redis holds no token", async () => {
    const user = await buildUser(app);
    const { refreshToken } = await logIn(app, user);

    const tokens = await app.deps.db.query(
      `select t.token_hash, t.used_at, t.expires_at, s.id as session_id, s.user_id, s.expires_at as session_expires_at
         from session_refresh_tokens t join sessions s on s.id = t.session_id where s.user_id = $1`,
      [user.id],
    );

    expect(tokens.rows).toEqual([
      {
        token_hash: sha256(refreshToken),
        used_at: null,
        expires_at: expect.any(String),
        session_id: expect.any(String),
        user_id: user.id,
        session_expires_at: expect.any(String),
      },
    ]);
    const lifetimeMs = Date.parse(tokens.rows[0].expires_at) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(0);
    expect(lifetimeMs).toBeLessThanOrEqual(app.config.auth.refreshTokenTtlSeconds * 1000);
    expect(tokens.rows[0].session_expires_at).toBe(tokens.rows[0].expires_at);
    const rawAnywhere = await app.deps.db.query(
      "select count(*)::int as count from session_refresh_tokens where token_hash = $1",
      [refreshToken],
    );
    expect(rawAnywhere.rows[0].count).toBe(0);
    expect(await redis.keys(`*${refreshToken}*`)).toEqual([]);
    expect(await redis.keys(`*${sha256(refreshToken)}*`)).toEqual([]);
  });

  it("treats a second exchange after the 10 s grace period as theft: 401 refresh_token_reused, and the whole session ends", async () => {
    const user = await buildUser(app);
    const first = await logIn(app, user);
    const second = (await postRefresh(app, first.refreshToken)).body.tokens!;
    app.setNow(new Date(Date.now() + 11_000));

    const reuse = await postRefresh(app, first.refreshToken);

    expectProblem(reuse, 401, "refresh_token_reused");
    expectProblem(await postRefresh(app, second.refreshToken), 401, "token_invalid");
    expectProblem(await getMe(app, second.accessToken), 401, "token_invalid");
    expectProblem(await getMe(app, first.accessToken), 401, "token_invalid");
  });

  it("answers a second exchange within the grace period with 401 token_invalid and keeps the session", async () => {
    const user = await buildUser(app);
    const first = await logIn(app, user);
    const second = (await postRefresh(app, first.refreshToken)).body.tokens!;
    app.setNow(new Date(Date.now() + 5_000));

    const raceLoser = await postRefresh(app, first.refreshToken);

    expectProblem(raceLoser, 401, "token_invalid");
    expect((await getMe(app, second.accessToken)).status).toBe(200);
    expect((await postRefresh(app, second.refreshToken)).status).toBe(200);
  });

  it("renews an expired access token", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    app.setNow(new Date(Date.now() + (app.config.auth.accessTokenTtlSeconds + 60) * 1000));
    expectProblem(await getMe(app, session.accessToken), 401, "token_expired");

    const response = await postRefresh(app, session.refreshToken);

    expect(response.status).toBe(200);
    expect((await getMe(app, response.body.tokens!.accessToken)).status).toBe(200);
  });

  it("refuses an unknown refresh token with 401 token_invalid", async () => {
    expectProblem(await postRefresh(app, "srt_never-issued-by-this-server"), 401, "token_invalid");
  });
});

describe("sessions", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it("keeps several sessions of one user independent: signing out of one leaves the other working", async () => {
    const user = await buildUser(app);
    const laptop = await logIn(app, user);
    const phone = await logIn(app, user);

    const logout = await request(app, "POST", "/api/v1/auth/logout", { token: laptop.accessToken });

    expect(logout.status).toBe(204);
    expectProblem(await getMe(app, laptop.accessToken), 401, "token_invalid");
    expect((await getMe(app, phone.accessToken)).status).toBe(200);
    expect((await postRefresh(app, phone.refreshToken)).status).toBe(200);
  });

  it("ends the session at once on logout with the access token: its access and refresh tokens stop working", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    await request(app, "POST", "/api/v1/auth/logout", { token: session.accessToken });

    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
    expectProblem(await postRefresh(app, session.refreshToken), 401, "token_invalid");
  });

  it("ends the session on logout with only the refresh token", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const logout = await request(app, "POST", "/api/v1/auth/logout", { body: { refreshToken: session.refreshToken } });

    expect(logout.status).toBe(204);
    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
  });
});
