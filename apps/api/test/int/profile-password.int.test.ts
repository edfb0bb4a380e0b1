import { AUTH_COOKIES, CSRF_HEADER, MeSchema, PasswordResetSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserRequest, CookieJar } from "../cookie-jar.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn, postLogin, postRefresh, type BuiltUser } from "../user-factory.ts";

/**
 * The profile's password change (other sessions end, this one stays) and an administrator's reset, after which the
 * user must choose their own password before any other route answers.
 */

const NEW_PASSWORD = "a brand new passphrase";

describe("own password change and administrator reset", () => {
  let app: TestApp;
  let admin: BuiltUser;
  let adminToken: string;
  beforeAll(async () => {
    app = await startTestApp();
    admin = await buildUser(app, { role: "ADMIN" });
    adminToken = (await logIn(app, admin)).accessToken;
  });
  afterAll(() => app?.close());

  function changePassword(token: string, body: object) {
    return request(app, "POST", "/api/v1/auth/password", { token, body });
  }

  function resetPassword(userId: string, body: object = {}, token = adminToken) {
    return request(app, "POST", `/api/v1/users/${userId}/password`, { token, body });
  }

  it("keeps the cookie session that changed the password and ends the user's other sessions", async () => {
    const user = await buildUser(app);
    const browser = new CookieJar();
    const login = await browserRequest(app, browser, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });
    expect(login.status).toBe(200);
    const phone = await logIn(app, user);
    const laptop = await logIn(app, user);

    const response = await browserRequest(app, browser, "POST", "/api/v1/auth/password", {
      headers: { [CSRF_HEADER]: browser.get(AUTH_COOKIES.csrf)! },
      body: { currentPassword: user.password, newPassword: NEW_PASSWORD },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ended: 2 });
    expect(browser.get(AUTH_COOKIES.access)).toBeDefined();
    expect((await browserRequest(app, browser, "GET", "/api/v1/auth/me")).status).toBe(200);
    expectProblem(await getMe(app, phone.accessToken), 401, "token_invalid");
    expectProblem(await getMe(app, laptop.accessToken), 401, "token_invalid");
    expectProblem(await postRefresh(app, phone.refreshToken), 401, "token_invalid");
    expect((await postLogin(app, user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses a wrong current password with 400 and changes nothing", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    const other = await logIn(app, user);

    const problem = expectProblem(
      await changePassword(session.accessToken, { currentPassword: "wrong password!", newPassword: NEW_PASSWORD }),
      400,
      "validation_failed",
    );

    expect(problem.errors).toEqual([{ path: "body.currentPassword", message: "The current password is wrong" }]);
    expect((await getMe(app, other.accessToken)).status).toBe(200);
    expect((await postLogin(app, user.username, user.password)).status).toBe(200);
  });

  it.each([
    ["too short", "short1!", "Use at least 10 characters"],
    ["a well-known one", "Password123", "This password is too common; choose another"],
    ["one character repeated", "aaaaaaaaaaaa", "Use at least 4 different characters"],
  ])("refuses a weak new password (%s) with 400", async (_case, newPassword, message) => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const problem = expectProblem(
      await changePassword(session.accessToken, { currentPassword: user.password, newPassword }),
      400,
      "validation_failed",
    );

    expect(problem.errors).toEqual([{ path: "body.newPassword", message }]);
    expect((await postLogin(app, user.username, user.password)).status).toBe(200);
  });

  it("refuses the current password again and one that contains the username", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const same = expectProblem(
      await changePassword(session.accessToken, { currentPassword: user.password, newPassword: user.password }),
      400,
      "validation_failed",
    );
    const withName = expectProblem(
      await changePassword(session.accessToken, {
        currentPassword: user.password,
        newPassword: `my-${user.username.toUpperCase()}-pass`,
      }),
      400,
      "validation_failed",
    );

    expect(same.errors).toEqual([
      { path: "body.newPassword", message: "Choose a password different from the current one" },
    ]);
    expect(withName.errors).toEqual([
      { path: "body.newPassword", message: "The password must not contain your username" },
    ]);
  });

  it("resets a password to a generated temporary one: sessions end, sign-in says a change is due", async () => {
    const user = await buildUser(app);
    const before = await logIn(app, user);

    const response = await resetPassword(user.id);

    expect(response.status).toBe(200);
    const reset = PasswordResetSchema.parse(response.body);
    expect(reset.endedSessions).toBe(1);
    expect(reset.temporaryPassword).toMatch(/^[\w-]{20}$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expectProblem(await getMe(app, before.accessToken), 401, "token_invalid");
    expectProblem(await postLogin(app, user.username, user.password), 401, "invalid_credentials");
    const login = await postLogin(app, user.username, reset.temporaryPassword!);
    expect(login.status).toBe(200);
    expect(login.body.user.mustChangePassword).toBe(true);
    const audit = await app.deps.db.query(
      "select actor_id, after from audit_log where resource_type = 'user' and resource_id = $1 and action = 'update'",
      [user.id],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: admin.id,
        after: { passwordReset: true, mustChangePassword: true, isTemporary: true, sessionsEnded: 1 },
      },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(reset.temporaryPassword);
  });

  it("gates every route but the change, /auth/me and sign-out with 403 password_change_required until changed", async () => {
    const user = await buildUser(app, { role: "DEVELOPER" });
    const setPassword = "set by the administrator";
    expect((await resetPassword(user.id, { password: setPassword })).body.temporaryPassword).toBeNull();
    const session = await logIn(app, { username: user.username, password: setPassword });

    expectProblem(
      await request(app, "GET", "/api/v1/catalogs", { token: session.accessToken }),
      403,
      "password_change_required",
    );
    expectProblem(
      await request(app, "GET", "/api/v1/auth/sessions", { token: session.accessToken }),
      403,
      "password_change_required",
    );
    expectProblem(
      await request(app, "GET", "/api/v1/system/capabilities", { token: session.accessToken }),
      403,
      "password_change_required",
    );
    const me = await getMe(app, session.accessToken);
    expect(me.status).toBe(200);
    expect(MeSchema.parse(me.body).mustChangePassword).toBe(true);

    const change = await changePassword(session.accessToken, {
      currentPassword: setPassword,
      newPassword: NEW_PASSWORD,
    });

    expect(change.status).toBe(200);
    // The same access token works at once: the gate looks the account up for tokens issued while a change was due.
    expect((await request(app, "GET", "/api/v1/catalogs", { token: session.accessToken })).status).toBe(200);
    expect((await getMe(app, session.accessToken)).body.mustChangePassword).toBe(false);
    const relogin = await postLogin(app, user.username, NEW_PASSWORD);
    expect(relogin.body.user.mustChangePassword).toBe(false);
    const audit = await app.deps.db.query(
      "select after from audit_log where resource_type = 'user' and resource_id = $1 and actor_id = $2",
      [user.id, user.id],
    );
    expect(audit.rows).toEqual([{ after: { passwordChanged: true, wasResetByAdmin: true } }]);
  });

  it("lets a session that owes a change sign out", async () => {
    const user = await buildUser(app);
    const setPassword = "another admin choice";
    await resetPassword(user.id, { password: setPassword });
    const session = await logIn(app, { username: user.username, password: setPassword });

    const logout = await request(app, "POST", "/api/v1/auth/logout", { token: session.accessToken });

    expect(logout.status).toBe(204);
    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
  });

  it("lets only ADMIN reset, never their own password, and answers 404 for an unknown user", async () => {
    const user = await buildUser(app);
    const other = await buildUser(app, { role: "DEVELOPER" });
    const developer = await logIn(app, other);

    expectProblem(await resetPassword(user.id, {}, developer.accessToken), 403, "forbidden");
    expectProblem(await resetPassword(admin.id), 409, "conflict");
    expectProblem(await resetPassword("00000000-0000-4000-8000-000000000000"), 404, "not_found");
    expectProblem(await resetPassword(user.id, { password: "short" }), 400, "validation_failed");
    expect((await postLogin(app, user.username, user.password)).status).toBe(200);
  });
});
