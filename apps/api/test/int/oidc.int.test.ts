import { AUTH_COOKIES } from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { browserRequest, CookieJar } from "../cookie-jar.ts";
import { startTestOidcProvider, type TestOidcProvider } from "../fakes/oidc-provider-harness.ts";
import { request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser } from "../user-factory.ts";

/**
 * Single sign-on against a real OpenID Connect provider (node-oidc-provider) on the loopback. The test plays the
 * browser: from /auth/oidc to the provider, through its login step, and back to the callback.
 */

const REDIRECT_URL = "http://status.test/api/v1/auth/oidc/callback";

describe("OpenID Connect sign-in", () => {
  let provider: TestOidcProvider;
  let app: TestApp;
  const warnings: { reason: string; detail: string }[] = [];
  beforeAll(async () => {
    provider = await startTestOidcProvider({ redirectUri: REDIRECT_URL });
    app = await startTestApp({
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_PROVIDER_NAME: "Acme Login",
        OIDC_REDIRECT_URL: REDIRECT_URL,
        OIDC_SCOPES: "openid email profile groups",
        OIDC_ROLE_MAPPING: "status-admins=ADMIN,status-developers=DEVELOPER,staff=USER",
        OIDC_ALLOW_CREATE: "true",
        OIDC_ALLOW_LINK_BY_EMAIL: "true",
      },
    });
    const warn = app.deps.log.warn.bind(app.deps.log);
    app.deps.log.warn = (object: unknown, message?: string) => {
      if (message === "OIDC sign-in refused") warnings.push(object as { reason: string; detail: string });
      return warn(object as never, message as never);
    };
  });
  afterEach(() => {
    warnings.length = 0;
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
  });

  /** Follows the provider's redirects (with its cookies) until it sends the browser back to STATUS's callback. */
  async function throughProvider(start: string): Promise<string> {
    const cookies = new Map<string, string>();
    let location = start;
    for (let hop = 0; hop < 10; hop += 1) {
      if (location.startsWith(REDIRECT_URL)) return location.slice("http://status.test".length);
      const url = new URL(location, provider.issuer);
      const response = await fetch(url, {
        redirect: "manual",
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair = ""] = header.split(";");
        const separator = pair.indexOf("=");
        cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
      }
      location = response.headers.get("location") ?? "";
      if (!location) throw new Error(`the provider stopped at ${url.href} with ${response.status}`);
    }
    throw new Error("too many redirects at the provider");
  }

  /** The whole sign-in in one browser; answers the callback's response and the browser's cookies. */
  async function signIn(sub: string, jar = new CookieJar()) {
    provider.signInAs(sub);
    const start = await browserRequest(app, jar, "GET", "/api/v1/auth/oidc");
    expect(start.status).toBe(302);
    const callbackPath = await throughProvider(start.headers.get("location")!);
    const callback = await browserRequest(app, jar, "GET", callbackPath);
    return { callback, jar, callbackPath };
  }

  it("names the provider among the sign-in methods", async () => {
    const providers = await request(app, "GET", "/api/v1/auth/providers");

    expect(providers.body).toEqual({ local: true, github: false, oidc: { name: "Acme Login" } });
  });

  it("sends the browser to the provider with PKCE (S256), a state kept in a cookie, and a nonce", async () => {
    const jar = new CookieJar();

    const start = await browserRequest(app, jar, "GET", "/api/v1/auth/oidc");

    const location = new URL(start.headers.get("location")!);
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get("nonce")).toBeTruthy();
    expect(location.searchParams.get("redirect_uri")).toBe(REDIRECT_URL);
    expect(jar.headerFor("/api/v1/auth/oidc/callback")).toContain(`status_oidc=${location.searchParams.get("state")}`);
  });

  it("creates the user on first sign-in with the role the groups map to, matched by sub afterwards", async () => {
    provider.accounts.set("sub-ada", {
      sub: "sub-ada",
      preferred_username: "ada-oidc",
      email: "ada@acme.test",
      email_verified: true,
      groups: ["staff", "status-developers"],
    });

    const { callback, jar } = await signIn("sub-ada");

    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/");
    expect(jar.get(AUTH_COOKIES.access)).toBeDefined();
    const me = await browserRequest(app, jar, "GET", "/api/v1/auth/me");
    expect(me.body).toMatchObject({ username: "ada-oidc", role: "DEVELOPER", email: "ada@acme.test" });
    provider.accounts.set("sub-ada", { ...provider.accounts.get("sub-ada")!, preferred_username: "renamed" });
    const again = await signIn("sub-ada");
    expect((await browserRequest(app, again.jar, "GET", "/api/v1/auth/me")).body.id).toBe(me.body.id);
    const { rows } = await app.deps.db.query("select auth_method from sessions where user_id = $1", [me.body.id]);
    expect(rows.map((row) => row.auth_method)).toEqual(["oidc", "oidc"]);
  });

  it("re-evaluates the role at every sign-in: a group change demotes the user and ends their sessions", async () => {
    provider.accounts.set("sub-bo", { sub: "sub-bo", preferred_username: "bo-oidc", groups: ["status-admins"] });
    const first = await signIn("sub-bo");
    expect((await browserRequest(app, first.jar, "GET", "/api/v1/auth/me")).body.role).toBe("ADMIN");

    provider.accounts.set("sub-bo", { sub: "sub-bo", preferred_username: "bo-oidc", groups: ["staff"] });
    const second = await signIn("sub-bo");

    const me = await browserRequest(app, second.jar, "GET", "/api/v1/auth/me");
    expect(me.body.role).toBe("USER");
    expect((await browserRequest(app, first.jar, "GET", "/api/v1/auth/me")).status).toBe(401);
    const audit = await app.deps.db.query(
      "select before, after from audit_log where resource_id = $1 and action = 'update'",
      [me.body.id],
    );
    expect(audit.rows).toEqual([{ before: { role: "ADMIN" }, after: { role: "USER", via: "oidc" } }]);
  });

  it("links an existing account by verified e-mail when allowed", async () => {
    const local = await buildUser(app);
    await app.deps.db.query("update users set email = $2 where id = $1", [local.id, `${local.username}@acme.test`]);
    provider.accounts.set("sub-link", {
      sub: "sub-link",
      email: `${local.username}@acme.test`,
      email_verified: true,
      groups: ["staff"],
    });

    const { jar } = await signIn("sub-link");

    expect((await browserRequest(app, jar, "GET", "/api/v1/auth/me")).body.id).toBe(local.id);
    const { rows } = await app.deps.db.query("select oidc_subject from users where id = $1", [local.id]);
    expect(rows[0].oidc_subject).toBe("sub-link");
  });

  it("refuses an ID token issued for another client (wrong audience), logged with its reason", async () => {
    provider.accounts.set("sub-aud", { sub: "sub-aud", groups: ["staff"] });
    provider.tamperNextIdToken((claims) => ({ ...claims, aud: "another-client" }));

    const { callback, jar } = await signIn("sub-aud");

    expect(callback.headers.get("location")).toBe("/login?error=oidc_token_invalid");
    expect(jar.get(AUTH_COOKIES.access)).toBeUndefined();
    expect(warnings).toEqual([
      { reason: "token_invalid", detail: expect.stringMatching(/aud/), requestId: expect.any(String) },
    ]);
  });

  it("refuses an expired ID token", async () => {
    provider.accounts.set("sub-exp", { sub: "sub-exp", groups: ["staff"] });
    const now = Math.floor(Date.now() / 1000);
    provider.tamperNextIdToken((claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }));

    const { callback } = await signIn("sub-exp");

    expect(callback.headers.get("location")).toBe("/login?error=oidc_token_invalid");
    expect(warnings[0]?.detail).toMatch(/exp/);
  });

  it("refuses a replayed state, even with the state cookie", async () => {
    provider.accounts.set("sub-replay", { sub: "sub-replay", groups: ["staff"] });
    const { callback, callbackPath } = await signIn("sub-replay");
    expect(callback.headers.get("location")).toBe("/");
    const state = new URL(callbackPath, "http://x").searchParams.get("state")!;
    const attacker = new CookieJar();
    attacker.set("status_oidc", state, "/api/v1/auth/oidc");

    const replay = await browserRequest(app, attacker, "GET", callbackPath);

    expect(replay.headers.get("location")).toBe("/login?error=oidc_state_invalid");
    expect(attacker.get(AUTH_COOKIES.access)).toBeUndefined();
    expect(warnings[0]).toMatchObject({ reason: "state_invalid", detail: "the state is used" });
  });

  it("refuses a callback in a browser that did not start the sign-in (login CSRF)", async () => {
    provider.accounts.set("sub-csrf", { sub: "sub-csrf", groups: ["staff"] });
    provider.signInAs("sub-csrf");
    const start = await browserRequest(app, new CookieJar(), "GET", "/api/v1/auth/oidc");
    const callbackPath = await throughProvider(start.headers.get("location")!);

    const victim = await browserRequest(app, new CookieJar(), "GET", callbackPath);

    expect(victim.headers.get("location")).toBe("/login?error=oidc_state_invalid");
  });

  it("refuses a user whose groups map to no role", async () => {
    provider.accounts.set("sub-none", { sub: "sub-none", groups: ["contractors"] });

    const { callback } = await signIn("sub-none");

    expect(callback.headers.get("location")).toBe("/login?error=oidc_no_role");
    expect(warnings[0]?.reason).toBe("no_role");
  });

  it("sends the browser back with oidc_unavailable when the provider goes down during the sign-in", async () => {
    const down = await startTestOidcProvider({ redirectUri: REDIRECT_URL });
    const downApp = await startTestApp({
      env: {
        OIDC_ISSUER: down.issuer,
        OIDC_CLIENT_ID: down.clientId,
        OIDC_CLIENT_SECRET: down.clientSecret,
        OIDC_REDIRECT_URL: REDIRECT_URL,
        OIDC_DEFAULT_ROLE: "USER",
        OIDC_ALLOW_CREATE: "true",
      },
    });
    try {
      down.accounts.set("sub-down", { sub: "sub-down" });
      down.signInAs("sub-down");
      const jar = new CookieJar();
      const start = await browserRequest(downApp, jar, "GET", "/api/v1/auth/oidc");
      const location = start.headers.get("location")!;
      expect(location.startsWith(down.issuer)).toBe(true);
      const callbackPath = await (async () => {
        const cookies = new Map<string, string>();
        let next = location;
        for (let hop = 0; hop < 10 && !next.startsWith(REDIRECT_URL); hop += 1) {
          const response = await fetch(new URL(next, down.issuer), {
            redirect: "manual",
            headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
          });
          for (const header of response.headers.getSetCookie()) {
            const [pair = ""] = header.split(";");
            cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
          }
          next = response.headers.get("location") ?? "";
        }
        return next.slice("http://status.test".length);
      })();
      await down.close();

      const callback = await browserRequest(downApp, jar, "GET", callbackPath);

      expect(callback.headers.get("location")).toBe("/login?error=oidc_unavailable");
      expect(jar.get(AUTH_COOKIES.access)).toBeUndefined();
    } finally {
      await downApp.close();
      await down.close().catch(() => undefined);
    }
  });
});

describe("OpenID Connect sign-in without account creation", () => {
  let provider: TestOidcProvider;
  let app: TestApp;
  beforeAll(async () => {
    provider = await startTestOidcProvider({ redirectUri: REDIRECT_URL });
    app = await startTestApp({
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_REDIRECT_URL: REDIRECT_URL,
        OIDC_DEFAULT_ROLE: "USER",
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
  });

  it("refuses an identity no account is linked to, and creates nothing", async () => {
    provider.accounts.set("sub-stranger", { sub: "sub-stranger", preferred_username: "stranger" });
    provider.signInAs("sub-stranger");
    const jar = new CookieJar();
    const start = await browserRequest(app, jar, "GET", "/api/v1/auth/oidc");
    let location = start.headers.get("location")!;
    const cookies = new Map<string, string>();
    for (let hop = 0; hop < 10 && !location.startsWith(REDIRECT_URL); hop += 1) {
      const response = await fetch(new URL(location, provider.issuer), {
        redirect: "manual",
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair = ""] = header.split(";");
        cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
      }
      location = response.headers.get("location") ?? "";
    }

    const callback = await browserRequest(app, jar, "GET", location.slice("http://status.test".length));

    expect(callback.headers.get("location")).toBe("/login?error=oidc_not_provisioned");
    const { rows } = await app.deps.db.query("select count(*)::int as count from users where username = 'stranger'");
    expect(rows[0].count).toBe(0);
  });
});

describe("OpenID Connect sign-in with a provider that never answered", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        OIDC_ISSUER: "http://127.0.0.1:9/realms/acme",
        OIDC_CLIENT_ID: "c",
        OIDC_CLIENT_SECRET: "s",
        OIDC_TIMEOUT_MS: "1000",
      },
    });
  });
  afterAll(() => app?.close());

  it("redirects to /login?error=oidc_unavailable instead of failing", async () => {
    const response = await request(app, "GET", "/api/v1/auth/oidc");

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?error=oidc_unavailable");
  });
});
