import { AUTH_COOKIES } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserRequest, CookieJar, setCookiesOf } from "../cookie-jar.ts";
import { buildGithubAccount, startFakeGithub, type FakeGithub, type FakeGithubAccount } from "../fakes/fake-github.ts";
import { encryptSecret } from "../../src/lib/secret-box.ts";
import { decodeBase32, totpCode } from "../../src/lib/totp.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, type BuiltUser } from "../user-factory.ts";

/**
 * GitHub sign-in against a loopback fake of GitHub: the redirect out, the callback with a code and state, linking a
 * GitHub account to a signed-in user, and signing in with a linked one. The test plays the browser in between.
 */

const CLIENT_ID = "fake-client-id";
const CLIENT_SECRET = "fake-client-secret";
const STATE_COOKIE = "status_oauth";

describe("GitHub sign-in", () => {
  let github: FakeGithub;
  let app: TestApp;
  beforeAll(async () => {
    github = await startFakeGithub();
    app = await startTestApp({
      env: {
        GITHUB_CLIENT_ID: CLIENT_ID,
        GITHUB_CLIENT_SECRET: CLIENT_SECRET,
        GITHUB_OAUTH_URL: github.url,
        GITHUB_API_URL: github.url,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await github?.close();
  });

  /** GET /auth/github in `jar`'s browser; returns where it was sent and the state GitHub would echo back. */
  async function goToGithub(jar: CookieJar, query = "") {
    const response = await browserRequest(app, jar, "GET", `/api/v1/auth/github${query}`);
    if (response.status !== 302)
      throw new Error(`expected a redirect to GitHub, got ${response.status} ${response.text}`);
    const location = new URL(response.headers.get("location")!);
    return { response, location, state: location.searchParams.get("state")! };
  }

  /** GitHub's redirect back to the callback, after `account` approved. */
  function returnFromGithub(jar: CookieJar, params: { code: string; state: string }) {
    return browserRequest(app, jar, "GET", `/api/v1/auth/github/callback?${new URLSearchParams(params)}`);
  }

  async function signInWithGithub(jar: CookieJar, account: FakeGithubAccount) {
    const { state } = await goToGithub(jar);
    return returnFromGithub(jar, { code: github.issueCode(account), state });
  }

  async function cookieSession(user: BuiltUser): Promise<CookieJar> {
    const jar = new CookieJar();
    const login = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    return jar;
  }

  async function linkAccount(user: BuiltUser, account: FakeGithubAccount) {
    const jar = await cookieSession(user);
    const { state } = await goToGithub(jar, "?link=true");
    return returnFromGithub(jar, { code: github.issueCode(account), state });
  }

  async function storedGithubLink(userId: string) {
    return (await app.deps.db.query("select github_id, github_login from users where id = $1", [userId])).rows[0];
  }

  function requestsWithCode(code: string) {
    return github.requests.filter((recorded) => recorded.body.code === code);
  }

  it("lists GitHub among the sign-in providers", async () => {
    const response = await request(app, "GET", "/api/v1/auth/providers");

    expect(response.body).toEqual({ local: true, github: true, oidc: null });
  });

  it("redirects to GitHub's authorize page with the client id and a state, kept in an httpOnly cookie", async () => {
    const jar = new CookieJar();

    const { response, location, state } = await goToGithub(jar);

    expect(`${location.origin}${location.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
    expect(location.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(app.config.github.enabled && app.config.github.callbackUrl);
    expect(location.searchParams.get("scope")).toBe("read:user");
    expect(state.length).toBeGreaterThan(20);
    const stateCookie = setCookiesOf(response).get(STATE_COOKIE)!;
    expect(stateCookie.attributes.has("httponly")).toBe(true);
    expect(stateCookie.attributes.get("path")).toBe("/api/v1/auth/github");
    expect(jar.get(STATE_COOKIE)).toBeDefined();
  });

  it("refuses a GitHub account linked to nobody: back to /login?error=github_not_linked, without a session", async () => {
    const account = buildGithubAccount();
    const jar = new CookieJar();
    const { state } = await goToGithub(jar);
    const code = github.issueCode(account);

    const response = await returnFromGithub(jar, { code, state });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?error=github_not_linked");
    expect(jar.get(AUTH_COOKIES.access)).toBeUndefined();
    expect(jar.get(AUTH_COOKIES.refresh)).toBeUndefined();
    expect(jar.get(STATE_COOKIE)).toBeUndefined();
    const [exchange] = requestsWithCode(code);
    expect(exchange).toMatchObject({
      method: "POST",
      path: "/login/oauth/access_token",
      body: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "authorization_code" },
    });
    expect(
      github.requests.some(
        (recorded) => recorded.path === "/user" && /^bearer gho_/i.test(recorded.headers.authorization ?? ""),
      ),
    ).toBe(true);
    const { rows } = await app.deps.db.query("select count(*)::int as count from users where github_id = $1", [
      String(account.id),
    ]);
    expect(rows[0].count).toBe(0);
  });

  it("links the GitHub account of a signed-in user who asked with link=true", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();

    const response = await linkAccount(user, account);

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profile?github=linked");
    expect(await storedGithubLink(user.id)).toEqual({ github_id: String(account.id), github_login: account.login });
    const audit = await app.deps.db.query(
      "select action, after from audit_log where resource_type = 'user' and resource_id = $1 and action <> 'create'",
      [user.id],
    );
    expect(audit.rows).toEqual([{ action: "update", after: { githubLogin: account.login } }]);
  });

  it("signs in with a linked GitHub account: redirect to / with session cookies that authenticate", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    const browser = new CookieJar();

    const response = await signInWithGithub(browser, account);

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(browser.get(AUTH_COOKIES.access)).toBeDefined();
    expect(browser.get(AUTH_COOKIES.refresh)).toMatch(/^srt_/);
    expect(browser.get(AUTH_COOKIES.csrf)).toBeDefined();
    const me = await browserRequest(app, browser, "GET", "/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, githubLogin: account.login, authMethod: "session" });
    const audit = await app.deps.db.query("select after from audit_log where action = 'login' and actor_id = $1", [
      user.id,
    ]);
    expect(audit.rows.map((row) => row.after.method)).toContain("github");
  });

  it("still asks a user with a second factor for it: /login#pendingToken=…, no session cookies", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    await app.deps.db.query(
      "insert into user_totp (user_id, secret_encrypted, confirmed_at, created_at) values ($1, $2, now(), now())",
      [user.id, encryptSecret(app.config.encryption.key, "JBSWY3DPEHPK3PXP")],
    );
    const browser = new CookieJar();

    const response = await signInWithGithub(browser, account);

    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/login#pendingToken=spl_[\w-]+&purpose=verify$/);
    expect(browser.get(AUTH_COOKIES.access)).toBeUndefined();
    const pendingToken = new URLSearchParams(location.split("#")[1]).get("pendingToken")!;
    const code = totpCode(decodeBase32("JBSWY3DPEHPK3PXP"), Math.floor(Date.now() / 1000));
    const signedIn = await request(app, "POST", "/api/v1/auth/login/second-factor", { body: { pendingToken, code } });
    expect(signedIn.status).toBe(200);
    const { rows } = await app.deps.db.query(
      "select auth_method, second_factor_verified_at from sessions where user_id = $1 order by created_at desc limit 1",
      [user.id],
    );
    expect(rows[0].auth_method).toBe("github");
    expect(rows[0].second_factor_verified_at).not.toBeNull();
  });

  it("refuses a callback whose state was tampered with, before exchanging the code", async () => {
    const jar = new CookieJar();
    const { state } = await goToGithub(jar);
    const code = github.issueCode(buildGithubAccount());

    const response = await returnFromGithub(jar, { code, state: `${state.slice(0, -4)}AAAA` });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?error=github_failed");
    expect(requestsWithCode(code)).toEqual([]);
  });

  it("refuses a callback in a browser without the state cookie (login CSRF)", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    const attacker = new CookieJar();
    const { state } = await goToGithub(attacker);
    const victim = new CookieJar();

    const response = await returnFromGithub(victim, { code: github.issueCode(account), state });

    expect(response.headers.get("location")).toBe("/login?error=github_failed");
    expect(victim.get(AUTH_COOKIES.access)).toBeUndefined();
  });

  it("sends the browser back to /login?error=github_failed when GitHub refuses the code or the user denies access", async () => {
    const jar = new CookieJar();
    const { state } = await goToGithub(jar);

    const unknownCode = await returnFromGithub(jar, { code: "never-issued", state });
    const denied = await browserRequest(
      app,
      jar,
      "GET",
      `/api/v1/auth/github/callback?error=access_denied&state=${state}`,
    );

    expect(unknownCode.headers.get("location")).toBe("/login?error=github_failed");
    expect(denied.headers.get("location")).toBe("/login?error=github_failed");
    expect(jar.get(AUTH_COOKIES.access)).toBeUndefined();
  });

  it("refuses to sign in a disabled user through GitHub", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    await app.deps.db.query("update users set is_disabled = true where id = $1", [user.id]);
    const browser = new CookieJar();

    const response = await signInWithGithub(browser, account);

    expect(response.headers.get("location")).toBe("/login?error=account_disabled");
    expect(browser.get(AUTH_COOKIES.access)).toBeUndefined();
  });

  it("refuses to link a GitHub account that is linked to another user", async () => {
    const first = await buildUser(app);
    const second = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(first, account);

    const response = await linkAccount(second, account);

    expect(response.headers.get("location")).toBe("/profile?github=duplicate");
    expect(await storedGithubLink(second.id)).toEqual({ github_id: null, github_login: null });
    expect(await storedGithubLink(first.id)).toEqual({ github_id: String(account.id), github_login: account.login });
  });

  function unlink(jar: CookieJar) {
    return browserRequest(app, jar, "DELETE", "/api/v1/auth/github/link", {
      headers: { "x-csrf-token": jar.get(AUTH_COOKIES.csrf)! },
    });
  }

  it("unlinks the GitHub account from the profile: audited, and GitHub no longer signs in", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    const jar = await cookieSession(user);

    const response = await unlink(jar);

    expect(response.status).toBe(204);
    expect(await storedGithubLink(user.id)).toEqual({ github_id: null, github_login: null });
    const me = await browserRequest(app, jar, "GET", "/api/v1/auth/me");
    expect(me.body.githubLogin).toBeNull();
    const audit = await app.deps.db.query(
      "select before, after from audit_log where resource_type = 'user' and resource_id = $1 and action = 'update' order by id",
      [user.id],
    );
    expect(audit.rows.at(-1)).toEqual({ before: { githubLogin: account.login }, after: { githubLogin: null } });
    const signIn = await signInWithGithub(new CookieJar(), account);
    expect(signIn.headers.get("location")).toBe("/login?error=github_not_linked");
    expectProblem(await unlink(jar), 404, "not_found");
  });

  it("refuses with 409 last_sign_in_method to unlink GitHub when it is the account's only way to sign in", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    await app.deps.db.query("update users set password_hash = null where id = $1", [user.id]);
    const jar = new CookieJar();
    expect((await signInWithGithub(jar, account)).headers.get("location")).toBe("/");

    expectProblem(await unlink(jar), 409, "last_sign_in_method");

    expect(await storedGithubLink(user.id)).toEqual({ github_id: String(account.id), github_login: account.login });
  });

  it("lets an account without a password unlink GitHub when single sign-on still signs it in", async () => {
    const user = await buildUser(app);
    const account = buildGithubAccount();
    await linkAccount(user, account);
    await app.deps.db.query(
      "update users set password_hash = null, oidc_issuer = 'https://idp.example.test', oidc_subject = $2 where id = $1",
      [user.id, `sub-${user.id}`],
    );
    const jar = new CookieJar();
    await signInWithGithub(jar, account);

    expect((await unlink(jar)).status).toBe(204);
    expect(await storedGithubLink(user.id)).toEqual({ github_id: null, github_login: null });
  });
});

describe("GitHub sign-in when not configured", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it("is not listed among the providers", async () => {
    expect((await request(app, "GET", "/api/v1/auth/providers")).body).toEqual({
      local: true,
      github: false,
      oidc: null,
    });
  });

  it("answers 404 github_disabled on the start and callback routes", async () => {
    expectProblem(await request(app, "GET", "/api/v1/auth/github"), 404, "github_disabled");
    expectProblem(await request(app, "GET", "/api/v1/auth/github/callback?code=x&state=y"), 404, "github_disabled");
  });
});
