import { createHash } from "node:crypto";
import { ApiTokenPageSchema, CreatedApiTokenSchema, type CreatedApiToken } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { buildUser, logIn, type BuiltUser } from "../user-factory.ts";

/**
 * Personal API tokens: shown once, stored as a hash, acting as their owner with the owner's role until revoked or
 * expired.
 */

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("personal API tokens", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  /** A user signed in with a session, ready to manage their tokens. */
  async function userWithSession(role: BuiltUser["role"] = "USER") {
    const user = await buildUser(app, { role });
    return { user, sessionToken: (await logIn(app, user)).accessToken };
  }

  async function createToken(sessionToken: string, body: Record<string, unknown> = {}): Promise<CreatedApiToken> {
    const response = await request<CreatedApiToken>(app, "POST", "/api/v1/tokens", {
      token: sessionToken,
      body: { name: `token ${uniqueSuffix()}`, ...body },
    });
    if (response.status !== 201) throw new Error(`creating a token failed: ${response.status} ${response.text}`);
    return response.body;
  }

  async function storedToken(id: string) {
    const { rows } = await app.deps.db.query("select * from api_tokens where id = $1", [id]);
    return rows[0];
  }

  it("answers the secret once, and stores only its SHA-256 hash and visible prefix", async () => {
    const { user, sessionToken } = await userWithSession();

    const response = await request(app, "POST", "/api/v1/tokens", {
      token: sessionToken,
      body: { name: "CI pipeline" },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`/api/v1/tokens/${response.body.id}`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const created = CreatedApiTokenSchema.parse(response.body);
    expect(created.token).toMatch(/^stt_[A-Za-z0-9_-]{40,}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(created).toMatchObject({ name: "CI pipeline", revokedAt: null, lastUsedAt: null });
    const row = await storedToken(created.id);
    expect(row).toMatchObject({
      user_id: user.id,
      name: "CI pipeline",
      prefix: created.prefix,
      token_hash: sha256(created.token),
    });
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);
  });

  it("expires after 90 days by default, or never when expiresInDays is null", async () => {
    const { sessionToken } = await userWithSession();

    const defaulted = await createToken(sessionToken);
    const endless = await createToken(sessionToken, { expiresInDays: null });

    const lifetimeDays = (Date.parse(defaulted.expiresAt!) - Date.parse(defaulted.createdAt)) / 86_400_000;
    expect(lifetimeDays).toBeCloseTo(90, 1);
    expect(endless.expiresAt).toBeNull();
    expect((await storedToken(endless.id)).expires_at).toBeNull();
  });

  it("never shows the secret again in the list or the detail", async () => {
    const { sessionToken } = await userWithSession();
    const created = await createToken(sessionToken);

    const list = await request(app, "GET", "/api/v1/tokens", { token: sessionToken });
    const detail = await request(app, "GET", `/api/v1/tokens/${created.id}`, { token: sessionToken });

    expect(list.status).toBe(200);
    const page = ApiTokenPageSchema.parse(list.body);
    expect(page.items.map((token) => token.id)).toEqual([created.id]);
    expect(list.text).not.toContain(created.token);
    expect(list.body.items[0]).not.toHaveProperty("token");
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: created.id, prefix: created.prefix });
    expect(detail.text).not.toContain(created.token);
  });

  it("authenticates as its owner with the owner's role, and records when it was last used", async () => {
    const { user, sessionToken } = await userWithSession("USER");
    const created = await createToken(sessionToken);

    const me = await request(app, "GET", "/api/v1/auth/me", { token: created.token });
    const createCatalog = await request(app, "POST", "/api/v1/catalogs", {
      token: created.token,
      body: { name: `by token ${uniqueSuffix()}` },
    });

    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, role: "USER", authMethod: "api_token" });
    expectProblem(createCatalog, 403, "forbidden");
    expect((await storedToken(created.id)).last_used_at).not.toBeNull();
    const detail = await request(app, "GET", `/api/v1/tokens/${created.id}`, { token: sessionToken });
    expect(detail.body.lastUsedAt).not.toBeNull();
  });

  it("lets a DEVELOPER's token do what a DEVELOPER may, through the legacy x-access-token header too", async () => {
    const { user, sessionToken } = await userWithSession("DEVELOPER");
    const created = await createToken(sessionToken);
    const name = `by token ${uniqueSuffix()}`;

    const response = await request(app, "POST", "/api/v1/catalogs", {
      headers: { "x-access-token": created.token },
      body: { name },
    });

    expect(response.status).toBe(201);
    const { rows } = await app.deps.db.query("select created_by from catalogs where name = $1", [name]);
    expect(rows).toEqual([{ created_by: user.id }]);
  });

  it("stops working at once when revoked, and is hidden from the list unless includeRevoked=true", async () => {
    const { sessionToken } = await userWithSession();
    const revoked = await createToken(sessionToken);
    const kept = await createToken(sessionToken);

    const response = await request(app, "DELETE", `/api/v1/tokens/${revoked.id}`, { token: sessionToken });

    expect(response.status).toBe(204);
    expectProblem(await request(app, "GET", "/api/v1/auth/me", { token: revoked.token }), 401, "token_invalid");
    expect((await request(app, "GET", "/api/v1/auth/me", { token: kept.token })).status).toBe(200);
    expect((await storedToken(revoked.id)).revoked_at).not.toBeNull();
    const visible = await request(app, "GET", "/api/v1/tokens", { token: sessionToken });
    expect(visible.body.items.map((token: { id: string }) => token.id)).toEqual([kept.id]);
    const all = await request(app, "GET", "/api/v1/tokens?includeRevoked=true", { token: sessionToken });
    expect(new Set(all.body.items.map((token: { id: string }) => token.id))).toEqual(new Set([kept.id, revoked.id]));
    expect(all.body.items.find((token: { id: string }) => token.id === revoked.id).revokedAt).not.toBeNull();
  });

  it("refuses an expired token with 401 token_invalid", async () => {
    const { sessionToken } = await userWithSession();
    const created = await createToken(sessionToken);
    await app.deps.db.query("update api_tokens set expires_at = now() - interval '1 minute' where id = $1", [
      created.id,
    ]);

    const response = await request(app, "GET", "/api/v1/auth/me", { token: created.token });

    expectProblem(response, 401, "token_invalid");
    expect((await storedToken(created.id)).last_used_at).toBeNull();
  });

  it("refuses the token of a disabled owner", async () => {
    const { user, sessionToken } = await userWithSession();
    const created = await createToken(sessionToken);
    await app.deps.db.query("update users set is_disabled = true where id = $1", [user.id]);

    expectProblem(await request(app, "GET", "/api/v1/auth/me", { token: created.token }), 401, "token_invalid");
  });

  it("hides a user's tokens from another user: reading or revoking one answers 404 and changes nothing", async () => {
    const owner = await userWithSession();
    const stranger = await userWithSession("ADMIN");
    const created = await createToken(owner.sessionToken);

    const read = await request(app, "GET", `/api/v1/tokens/${created.id}`, { token: stranger.sessionToken });
    const revoke = await request(app, "DELETE", `/api/v1/tokens/${created.id}`, { token: stranger.sessionToken });
    const strangersList = await request(app, "GET", "/api/v1/tokens?includeRevoked=true", {
      token: stranger.sessionToken,
    });

    expectProblem(read, 404, "not_found");
    expectProblem(revoke, 404, "not_found");
    expect(strangersList.body.items).toEqual([]);
    expect((await storedToken(created.id)).revoked_at).toBeNull();
    expect((await request(app, "GET", "/api/v1/auth/me", { token: created.token })).status).toBe(200);
  });

  it("writes audit rows for creation and revocation, never with the secret", async () => {
    const { user, sessionToken } = await userWithSession();
    const created = await createToken(sessionToken);

    await request(app, "DELETE", `/api/v1/tokens/${created.id}`, { token: sessionToken });

    const { rows } = await app.deps.db.query(
      "select action, actor_id, before, after, request_id from audit_log where resource_type = 'api_token' and resource_id = $1 order by id",
      [created.id],
    );
    expect(rows.map((row) => [row.action, row.actor_id])).toEqual([
      ["create", user.id],
      ["revoke", user.id],
    ]);
    expect(rows[0].after).toMatchObject({ id: created.id, prefix: created.prefix, revokedAt: null });
    expect(rows[1].before.revokedAt).toBeNull();
    expect(rows[1].after.revokedAt).not.toBeNull();
    expect(rows.every((row) => typeof row.request_id === "string")).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(created.token);
  });
});
