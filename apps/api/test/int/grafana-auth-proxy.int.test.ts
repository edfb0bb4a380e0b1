import type { Role } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createUser } from "../../src/modules/users/users.service.ts";
import { browserRequest, CookieJar, setCookiesOf } from "../cookie-jar.ts";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { expectProblem, request, TEST_PASSWORD } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Single sign-on into Grafana through its auth proxy: GET /api/v1/auth/grafana (what nginx's auth_request asks) and
 * the app's own /grafana/ proxy, against the fake Grafana, which echoes what reached it.
 */

interface SignedIn {
  jar: CookieJar;
  username: string;
  accessToken: string;
}

function openSocket(
  app: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<{ message?: any; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${app.baseUrl.replace("http", "ws")}${path}`, { headers });
    socket.once("message", (data: Buffer) => {
      resolve({ message: JSON.parse(data.toString()) });
      socket.close();
    });
    socket.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    socket.once("error", reject);
  });
}

describe("Grafana sign-in through the auth proxy", () => {
  let grafana: FakeGrafana;
  let app: TestApp;
  const people = {} as Record<Role, SignedIn>;

  async function signIn(role: Role, profile: { displayName?: string; email?: string } = {}): Promise<SignedIn> {
    const username = `${role.toLowerCase()}-${uniqueSuffix()}`;
    await createUser(app.deps, null, { username, password: TEST_PASSWORD, role, ...profile });
    const jar = new CookieJar();
    const login = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
      body: { username, password: TEST_PASSWORD, session: "cookie" },
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    const tokens = await request(app, "POST", "/api/v1/auth/login", { body: { username, password: TEST_PASSWORD } });
    return { jar, username, accessToken: tokens.body.tokens.accessToken };
  }

  beforeAll(async () => {
    grafana = await startFakeGrafana();
    app = await startTestApp({ env: { GRAFANA_URL: grafana.url, GRAFANA_SERVICE_ACCOUNT_TOKEN: grafana.token } });
    people.USER = await signIn("USER");
    people.DEVELOPER = await signIn("DEVELOPER", {
      displayName: "Dana Developer",
      email: `dana-${uniqueSuffix()}@example.test`,
    });
    people.ADMIN = await signIn("ADMIN", { displayName: "Zoë Admin" });
  });
  afterAll(async () => {
    await app?.close();
    await grafana?.close();
  });

  describe("GET /api/v1/auth/grafana (nginx auth_request)", () => {
    it("answers 204 with the session user's identity and Grafana role", async () => {
      const response = await browserRequest(app, people.DEVELOPER.jar, "GET", "/api/v1/auth/grafana");

      expect(response.status).toBe(204);
      expect(response.headers.get("x-webauth-user")).toBe(people.DEVELOPER.username);
      expect(response.headers.get("x-webauth-name")).toBe("Dana Developer");
      expect(response.headers.get("x-webauth-email")).toMatch(/^dana-.*@example\.test$/);
      expect(response.headers.get("x-webauth-role")).toBe("Editor");
    });

    it("maps USER to Viewer and ADMIN to Admin, and falls back to the username for a name headers cannot carry", async () => {
      const viewer = await browserRequest(app, people.USER.jar, "GET", "/api/v1/auth/grafana");
      const admin = await browserRequest(app, people.ADMIN.jar, "GET", "/api/v1/auth/grafana");

      expect(viewer.headers.get("x-webauth-role")).toBe("Viewer");
      expect(viewer.headers.get("x-webauth-email")).toBeNull();
      expect(admin.headers.get("x-webauth-role")).toBe("Admin");
      expect(admin.headers.get("x-webauth-name")).toBe(people.ADMIN.username);
    });

    it("sets the Grafana pass, an httpOnly cookie sent only to /grafana, for the app's own proxy", async () => {
      const response = await browserRequest(app, people.USER.jar, "GET", "/api/v1/auth/grafana");

      const pass = setCookiesOf(response).get("status_grafana");
      expect(pass?.attributes.get("path")).toBe("/grafana");
      expect(pass?.attributes.has("httponly")).toBe(true);
      expectProblem(await request(app, "GET", "/api/v1/auth/me", { token: pass!.value }), 401, "token_invalid");
    });

    it("answers 401 problem+json without a session", async () => {
      const response = await request(app, "GET", "/api/v1/auth/grafana", { headers: { "x-webauth-user": "admin" } });

      expectProblem(response, 401, "unauthenticated");
      expect(response.headers.get("x-webauth-user")).toBeNull();
    });
  });

  describe("the app's /grafana/ proxy", () => {
    it("forwards a signed-in browser to Grafana as that user, never passing on a client-sent X-WEBAUTH-* header", async () => {
      const response = await browserRequest(app, people.USER.jar, "GET", "/grafana/d/abc?orgId=1", {
        headers: {
          "X-WEBAUTH-USER": "admin",
          "X-WEBAUTH-ROLE": "Admin",
          "x-webauth-email": "evil@example.test",
          cookie: "grafana_session=abc",
        },
      });

      expect(response.status).toBe(200);
      expect(response.body.path).toBe("/grafana/d/abc");
      expect(response.body.search).toBe("?orgId=1");
      const forwarded = response.body.headers;
      expect(forwarded["x-webauth-user"]).toBe(people.USER.username);
      expect(forwarded["x-webauth-role"]).toBe("Viewer");
      expect(forwarded["x-webauth-email"]).toBeUndefined();
    });

    it("keeps STATUS credentials from Grafana: no session cookies, no bearer token, no CSRF token", async () => {
      const jar = people.DEVELOPER.jar;
      const response = await browserRequest(app, jar, "POST", "/grafana/api/ds/query", {
        body: { queries: [] },
        headers: {
          authorization: `Bearer ${people.DEVELOPER.accessToken}`,
          "x-csrf-token": "csrf",
          "x-access-token": people.DEVELOPER.accessToken,
        },
      });

      const forwarded = response.body.headers;
      expect(forwarded["x-webauth-user"]).toBe(people.DEVELOPER.username);
      expect(forwarded.authorization).toBeUndefined();
      expect(forwarded["x-access-token"]).toBeUndefined();
      expect(forwarded["x-csrf-token"]).toBeUndefined();
      expect(forwarded.cookie ?? "").not.toMatch(/status_/);
      expect(response.body.body).toEqual({ queries: [] });
    });

    it("is signed in as the user in Grafana's own API", async () => {
      const response = await browserRequest(app, people.ADMIN.jar, "GET", "/grafana/api/user");

      expect(response.body).toMatchObject({ login: people.ADMIN.username, orgRole: "Admin" });
    });

    it("answers 502 grafana_unreachable problem+json, as the dashboards API does, when nothing listens at GRAFANA_URL", async () => {
      const down = await startTestApp({
        env: { GRAFANA_URL: "http://127.0.0.1:9/grafana", GRAFANA_SERVICE_ACCOUNT_TOKEN: "glsa_any" },
      });
      try {
        const username = `user-${uniqueSuffix()}`;
        await createUser(down.deps, null, { username, password: TEST_PASSWORD, role: "USER" });
        const jar = new CookieJar();
        await browserRequest(down, jar, "POST", "/api/v1/auth/login", {
          body: { username, password: TEST_PASSWORD, session: "cookie" },
        });

        const problem = expectProblem(
          await browserRequest(down, jar, "GET", "/grafana/api/user"),
          502,
          "grafana_unreachable",
        );
        expect(problem.detail).toBe("Grafana could not be reached");
      } finally {
        await down.close();
      }
    });

    it("sends an anonymous browser to sign in and refuses anonymous calls, even with a forged identity", async () => {
      const before = grafana.requests.length;

      const page = await request(app, "GET", "/grafana/d/abc", { headers: { accept: "text/html" } });
      const api = await request(app, "GET", "/grafana/api/user", {
        headers: { accept: "application/json", "x-webauth-user": "admin" },
      });
      const bearer = await request(app, "GET", "/grafana/api/user", { token: people.ADMIN.accessToken });

      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/grafana/d/abc")}`);
      expectProblem(api, 401, "unauthenticated");
      expectProblem(bearer, 401, "unauthenticated");
      expect(grafana.requests.length).toBe(before);
    });

    it("lets the Grafana pass in after the access token is gone, until the session ends", async () => {
      const person = await signIn("USER");
      await browserRequest(app, person.jar, "GET", "/api/v1/auth/grafana");
      const passOnly = new CookieJar();
      passOnly.set("status_grafana", person.jar.get("status_grafana")!, "/grafana");

      const whilePassValid = await browserRequest(app, passOnly, "GET", "/grafana/api/dashboards/home", {
        headers: { accept: "application/json" },
      });
      const logout = await browserRequest(app, person.jar, "POST", "/api/v1/auth/logout", {
        headers: { "x-csrf-token": person.jar.get("status_csrf")! },
      });
      const afterLogout = await browserRequest(app, passOnly, "GET", "/grafana/api/dashboards/home", {
        headers: { accept: "application/json" },
      });

      expect(whilePassValid.status).toBe(200);
      expect(whilePassValid.body.headers["x-webauth-user"]).toBe(person.username);
      expect(whilePassValid.body.headers.cookie ?? "").not.toContain("status_grafana");
      expect(logout.status).toBe(204);
      expectProblem(afterLogout, 401, "unauthenticated");
    });

    it("verifies nginx's auth subrequest with the access cookie or, once that is gone, the Grafana pass, until the session ends", async () => {
      const person = await signIn("DEVELOPER");
      await browserRequest(app, person.jar, "GET", "/api/v1/auth/grafana");
      const passOnly = new CookieJar();
      passOnly.set("status_grafana", person.jar.get("status_grafana")!, "/api/v1/auth/grafana/verify");

      const withSession = await browserRequest(app, person.jar, "GET", "/api/v1/auth/grafana/verify", {
        headers: { "x-webauth-user": "admin" },
      });
      const withPass = await browserRequest(app, passOnly, "GET", "/api/v1/auth/grafana/verify");
      const anonymous = await request(app, "GET", "/api/v1/auth/grafana/verify");
      const forgedPass = await request(app, "GET", "/api/v1/auth/grafana/verify", {
        headers: { cookie: "status_grafana=eyJhbGciOiJIUzI1NiJ9.e30.x" },
      });
      await browserRequest(app, person.jar, "POST", "/api/v1/auth/logout", {
        headers: { "x-csrf-token": person.jar.get("status_csrf")! },
      });
      const afterLogout = await browserRequest(app, passOnly, "GET", "/api/v1/auth/grafana/verify");

      expect(withSession.status).toBe(204);
      expect(withSession.headers.get("x-webauth-user")).toBe(person.username);
      expect(withSession.headers.get("x-webauth-role")).toBe("Editor");
      expect(withPass.status).toBe(204);
      expect(withPass.headers.get("x-webauth-user")).toBe(person.username);
      expectProblem(anonymous, 401, "token_invalid");
      expectProblem(forgedPass, 401, "token_invalid");
      expectProblem(afterLogout, 401, "token_invalid");
    });

    it("tunnels Grafana Live's WebSocket for a session, with the identity added and a forged one dropped", async () => {
      const cookie = people.DEVELOPER.jar.headerFor("/grafana/api/live/ws");

      const opened = await openSocket(app, "/grafana/api/live/ws", { cookie, "x-webauth-user": "admin" });
      const anonymous = await openSocket(app, "/grafana/api/live/ws", { "x-webauth-user": "admin" });
      const crossSite = await openSocket(app, "/grafana/api/live/ws", { cookie, origin: "https://evil.example" });

      expect(opened.message.headers["x-webauth-user"]).toBe(people.DEVELOPER.username);
      expect(opened.message.headers["x-webauth-role"]).toBe("Editor");
      expect(opened.message.headers.cookie ?? "").not.toMatch(/status_/);
      expect(anonymous.status).toBe(401);
      expect(crossSite.status).toBe(403);
    });
  });
});
