import { AUTH_COOKIES, CSRF_HEADER, SessionResponseSchema } from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserRequest, CookieJar, setCookiesOf } from "../cookie-jar.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { buildUser, type BuiltUser } from "../user-factory.ts";

/** Cookie mode, as the SPA uses it: httpOnly session cookies, a readable CSRF cookie echoed in a header. */

describe("cookie sessions", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.setNow(undefined));
  afterAll(() => app?.close());

  /** A browser signed in as `user` through POST /auth/login with session: "cookie". */
  async function signedInBrowser(user: BuiltUser): Promise<CookieJar> {
    const jar = new CookieJar();
    const login = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    return jar;
  }

  function createCatalog(jar: CookieJar, name: string, headers: Record<string, string> = {}) {
    return browserRequest(app, jar, "POST", "/api/v1/catalogs", { body: { name }, headers });
  }

  async function catalogRows(name: string) {
    return (await app.deps.db.query("select name, created_by from catalogs where name = $1", [name])).rows;
  }

  it("sets httpOnly access and refresh cookies and a readable CSRF cookie, and keeps the tokens out of the body", async () => {
    const user = await buildUser(app);

    const jar = new CookieJar();
    const response = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });

    expect(response.status).toBe(200);
    const body = SessionResponseSchema.parse(response.body);
    expect(body.tokens).toBeUndefined();
    expect(body.user.id).toBe(user.id);
    const cookies = setCookiesOf(response);
    const access = cookies.get(AUTH_COOKIES.access)!;
    const refresh = cookies.get(AUTH_COOKIES.refresh)!;
    const csrf = cookies.get(AUTH_COOKIES.csrf)!;
    expect(access.attributes.has("httponly")).toBe(true);
    expect(access.attributes.get("path")).toBe("/");
    expect(refresh.attributes.has("httponly")).toBe(true);
    expect(refresh.attributes.get("path")).toBe("/api/v1/auth");
    expect(refresh.attributes.get("samesite")).toBe("Strict");
    expect(refresh.value).toMatch(/^srt_/);
    expect(csrf.attributes.has("httponly")).toBe(false);
    expect(csrf.attributes.get("samesite")).toBe("Strict");
    expect(csrf.value.length).toBeGreaterThan(20);
    expect(response.text).not.toContain(access.value);
    expect(response.text).not.toContain(refresh.value);
  });

  it("authenticates GET /auth/me with the access cookie alone", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);

    const response = await browserRequest(app, jar, "GET", "/api/v1/auth/me");

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, authMethod: "session" });
  });

  it("refuses a cookie-authenticated POST without the CSRF header or with a wrong one, and accepts the right one", async () => {
    const developer = await buildUser(app, { role: "DEVELOPER" });
    const jar = await signedInBrowser(developer);
    const csrfToken = jar.get(AUTH_COOKIES.csrf)!;
    const [withoutHeader, withWrongHeader, withRightHeader] = ["no-header", "wrong-header", "right-header"].map(
      (label) => `csrf-${label}-${uniqueSuffix()}`,
    );

    expectProblem(await createCatalog(jar, withoutHeader!), 403, "csrf_failed");
    expectProblem(
      await createCatalog(jar, withWrongHeader!, { [CSRF_HEADER]: `${csrfToken.slice(0, -2)}xx` }),
      403,
      "csrf_failed",
    );
    const accepted = await createCatalog(jar, withRightHeader!, { [CSRF_HEADER]: csrfToken });

    expect(accepted.status).toBe(201);
    expect(await catalogRows(withoutHeader!)).toEqual([]);
    expect(await catalogRows(withWrongHeader!)).toEqual([]);
    expect(await catalogRows(withRightHeader!)).toEqual([{ name: withRightHeader, created_by: developer.id }]);
  });

  it("refuses the CSRF token of another session", async () => {
    const developer = await buildUser(app, { role: "DEVELOPER" });
    const mine = await signedInBrowser(developer);
    const someoneElses = await signedInBrowser(await buildUser(app, { role: "DEVELOPER" }));
    const name = `csrf-foreign-${uniqueSuffix()}`;

    const response = await createCatalog(mine, name, { [CSRF_HEADER]: someoneElses.get(AUTH_COOKIES.csrf)! });

    expectProblem(response, 403, "csrf_failed");
    expect(await catalogRows(name)).toEqual([]);
  });

  it("refreshes with the refresh cookie and the CSRF header, rotating the session cookies", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    const before = { refresh: jar.get(AUTH_COOKIES.refresh), csrf: jar.get(AUTH_COOKIES.csrf)! };

    const withoutHeader = await browserRequest(app, jar, "POST", "/api/v1/auth/refresh");
    const response = await browserRequest(app, jar, "POST", "/api/v1/auth/refresh", {
      headers: { [CSRF_HEADER]: before.csrf },
    });

    expectProblem(withoutHeader, 403, "csrf_failed");
    expect(response.status).toBe(200);
    expect(response.body.tokens).toBeUndefined();
    expect(jar.get(AUTH_COOKIES.refresh)).toMatch(/^srt_/);
    expect(jar.get(AUTH_COOKIES.refresh)).not.toBe(before.refresh);
    expect(setCookiesOf(response).has(AUTH_COOKIES.access)).toBe(true);
    expect(jar.get(AUTH_COOKIES.csrf)).toBe(before.csrf);
    expect((await browserRequest(app, jar, "GET", "/api/v1/auth/me")).status).toBe(200);
  });

  it("refreshes a session whose access cookie has expired", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    app.setNow(new Date(Date.now() + (app.config.auth.accessTokenTtlSeconds + 60) * 1000));
    expectProblem(await browserRequest(app, jar, "GET", "/api/v1/auth/me"), 401, "token_expired");

    const response = await browserRequest(app, jar, "POST", "/api/v1/auth/refresh", {
      headers: { [CSRF_HEADER]: jar.get(AUTH_COOKIES.csrf)! },
    });

    expect(response.status).toBe(200);
    expect((await browserRequest(app, jar, "GET", "/api/v1/auth/me")).status).toBe(200);
  });

  it("keeps the browser signed in when two tabs refresh with the same cookie within the grace period", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    const cookiesBeforeRefresh = jar.headerFor("/api/v1/auth/refresh");
    const headers = { cookie: cookiesBeforeRefresh, [CSRF_HEADER]: jar.get(AUTH_COOKIES.csrf)! };
    const winningTab = await request(app, "POST", "/api/v1/auth/refresh", { headers });
    jar.store(winningTab);

    const losingTab = await request(app, "POST", "/api/v1/auth/refresh", { headers });
    jar.store(losingTab);

    expect(winningTab.status).toBe(200);
    expectProblem(losingTab, 401, "token_invalid");
    expect(jar.get(AUTH_COOKIES.refresh)).toBe(setCookiesOf(winningTab).get(AUTH_COOKIES.refresh)!.value);
    expect((await browserRequest(app, jar, "GET", "/api/v1/auth/me")).status).toBe(200);
  });

  it("clears the cookies when the refresh cookie is reused after the grace period", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    const headers = { cookie: jar.headerFor("/api/v1/auth/refresh"), [CSRF_HEADER]: jar.get(AUTH_COOKIES.csrf)! };
    jar.store(await request(app, "POST", "/api/v1/auth/refresh", { headers }));
    app.setNow(new Date(Date.now() + 11_000));

    const reuse = await request(app, "POST", "/api/v1/auth/refresh", { headers });
    jar.store(reuse);

    expectProblem(reuse, 401, "refresh_token_reused");
    expect(setCookiesOf(reuse).get(AUTH_COOKIES.access)?.isDeletion).toBe(true);
    expect(jar.get(AUTH_COOKIES.refresh)).toBeUndefined();
  });

  it("lets a browser still holding the access cookie of an ended session sign in again", async () => {
    const admin = await buildUser(app, { role: "ADMIN" });
    const adminJar = await signedInBrowser(admin);
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    const demote = await browserRequest(app, adminJar, "PATCH", `/api/v1/users/${user.id}`, {
      body: { role: "DEVELOPER" },
      headers: { [CSRF_HEADER]: adminJar.get(AUTH_COOKIES.csrf)! },
    });
    expect(demote.status).toBe(200);
    expectProblem(await browserRequest(app, jar, "GET", "/api/v1/auth/me"), 401, "token_invalid");

    const login = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password, session: "cookie" },
    });

    expect(login.status).toBe(200);
    const me = await browserRequest(app, jar, "GET", "/api/v1/auth/me");
    expect(me.body).toMatchObject({ id: user.id, role: "DEVELOPER" });
  });

  it("clears the cookies and ends the session on logout", async () => {
    const user = await buildUser(app);
    const jar = await signedInBrowser(user);
    const staleAccessCookie = jar.get(AUTH_COOKIES.access)!;

    const response = await browserRequest(app, jar, "POST", "/api/v1/auth/logout");

    expect(response.status).toBe(204);
    expect(jar.get(AUTH_COOKIES.access)).toBeUndefined();
    expect(jar.get(AUTH_COOKIES.refresh)).toBeUndefined();
    expect(jar.get(AUTH_COOKIES.csrf)).toBeUndefined();
    jar.set(AUTH_COOKIES.access, staleAccessCookie);
    expectProblem(await browserRequest(app, jar, "GET", "/api/v1/auth/me"), 401, "token_invalid");
  });
});
