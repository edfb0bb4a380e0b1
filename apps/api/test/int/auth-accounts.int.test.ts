import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureInitialAdmin } from "../../src/modules/users/users.service.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn, postLogin, postRefresh } from "../user-factory.ts";

/** Changes to an account that end its sessions, and the first administrator of an empty installation. */

const NEW_PASSWORD = "a much longer new passphrase";

describe("account changes end sessions", () => {
  let app: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    app = await startTestApp();
    adminToken = (await logIn(app, await buildUser(app, { role: "ADMIN" }))).accessToken;
  });
  afterAll(() => app?.close());

  it("changes the password with POST /auth/password: the old one stops working and every other session ends", async () => {
    const user = await buildUser(app);
    const current = await logIn(app, user);
    const other = await logIn(app, user);

    const response = await request(app, "POST", "/api/v1/auth/password", {
      token: current.accessToken,
      body: { currentPassword: user.password, newPassword: NEW_PASSWORD },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ended: 1 });
    expect((await getMe(app, current.accessToken)).status).toBe(200);
    expect((await postRefresh(app, current.refreshToken)).status).toBe(200);
    expectProblem(await getMe(app, other.accessToken), 401, "token_invalid");
    expectProblem(await postRefresh(app, other.refreshToken), 401, "token_invalid");
    expectProblem(await postLogin(app, user.username, user.password), 401, "invalid_credentials");
    expect((await postLogin(app, user.username, NEW_PASSWORD)).status).toBe(200);
    const audit = await app.deps.db.query(
      "select action, after from audit_log where resource_type = 'user' and resource_id = $1 and actor_id = $2",
      [user.id, user.id],
    );
    expect(audit.rows).toEqual([{ action: "update", after: { passwordChanged: true } }]);
  });

  it("refuses a password change with a wrong current password and keeps the session", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const response = await request(app, "POST", "/api/v1/auth/password", {
      token: session.accessToken,
      body: { currentPassword: "not it", newPassword: NEW_PASSWORD },
    });

    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors).toEqual([{ path: "body.currentPassword", message: "The current password is wrong" }]);
    expect((await getMe(app, session.accessToken)).status).toBe(200);
    expect((await postLogin(app, user.username, user.password)).status).toBe(200);
  });

  it("signs a disabled user out at once and refuses their sign-in with 401 account_disabled", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const disable = await request(app, "PATCH", `/api/v1/users/${user.id}`, {
      token: adminToken,
      body: { isDisabled: true },
    });

    expect(disable.status).toBe(200);
    expect(disable.body.isDisabled).toBe(true);
    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
    expectProblem(await postRefresh(app, session.refreshToken), 401, "token_invalid");
    expectProblem(await postLogin(app, user.username, user.password), 401, "account_disabled");
    const { rows } = await app.deps.db.query("select is_disabled from users where id = $1", [user.id]);
    expect(rows).toEqual([{ is_disabled: true }]);
  });

  it("ends the sessions of a user whose role changes, so no token carries the old role", async () => {
    const user = await buildUser(app, { role: "DEVELOPER" });
    const session = await logIn(app, user);

    const demote = await request(app, "PATCH", `/api/v1/users/${user.id}`, {
      token: adminToken,
      body: { role: "USER" },
    });

    expect(demote.status).toBe(200);
    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
    expectProblem(
      await request(app, "POST", "/api/v1/catalogs", { token: session.accessToken, body: { name: "after demotion" } }),
      401,
      "token_invalid",
    );
    const fresh = await postLogin(app, user.username, user.password);
    expect(fresh.body.user.role).toBe("USER");
  });

  it("keeps the sessions of a user whose display name changes", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const rename = await request(app, "PATCH", `/api/v1/users/${user.id}`, {
      token: adminToken,
      body: { displayName: "Renamed" },
    });

    expect(rename.status).toBe(200);
    expect((await getMe(app, session.accessToken)).body.displayName).toBe("Renamed");
  });
});

describe("ensureInitialAdmin", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  async function emptyApp(env: Record<string, string> = {}): Promise<TestApp> {
    const app = await startTestApp({ env });
    apps.push(app);
    return app;
  }

  async function storedUsers(app: TestApp) {
    return (await app.deps.db.query("select username, role, password_hash from users")).rows;
  }

  it("creates an ADMIN with a generated password on an empty database, stored only as a hash", async () => {
    const app = await emptyApp();

    const created = await ensureInitialAdmin(app.deps);

    expect(created).toEqual({ username: "admin", generatedPassword: expect.any(String) });
    expect(created!.generatedPassword!.length).toBeGreaterThanOrEqual(20);
    const users = await storedUsers(app);
    expect(users).toEqual([
      { username: "admin", role: "ADMIN", password_hash: expect.stringMatching(/^\$argon2id\$/) },
    ]);
    const login = await postLogin(app, "admin", created!.generatedPassword!);
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe("ADMIN");
  });

  it("does nothing once any user exists", async () => {
    const app = await emptyApp();
    await buildUser(app, { role: "USER" });

    const created = await ensureInitialAdmin(app.deps);

    expect(created).toBeUndefined();
    expect((await storedUsers(app)).map((user) => user.role)).toEqual(["USER"]);
  });

  it("does nothing on a second call", async () => {
    const app = await emptyApp();
    await ensureInitialAdmin(app.deps);

    const second = await ensureInitialAdmin(app.deps);

    expect(second).toBeUndefined();
    expect(await storedUsers(app)).toHaveLength(1);
  });

  it("uses STATUS_ADMIN_USERNAME and STATUS_ADMIN_PASSWORD when set, and returns no password", async () => {
    const app = await emptyApp({
      STATUS_ADMIN_USERNAME: "root",
      STATUS_ADMIN_PASSWORD: "configured admin passphrase",
      STATUS_ADMIN_EMAIL: "root@example.com",
    });

    const created = await ensureInitialAdmin(app.deps);

    expect(created).toEqual({ username: "root" });
    const login = await postLogin(app, "root", "configured admin passphrase");
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username: "root", role: "ADMIN", email: "root@example.com" });
  });
});
