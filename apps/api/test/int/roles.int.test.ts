import { randomUUID } from "node:crypto";
import { hasRole, type Role } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../src/app.ts";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * Walks every route of the route table with no token and with each role. Authorization runs before any handler,
 * so the answer tells: 401 without a token, 403 below the route's role, anything else at or above it.
 */
const ROLES: Role[] = ["USER", "DEVELOPER", "ADMIN"];

function concretePath(path: string): string {
  return `/api/v1${path.replace(/:[A-Za-z]+/g, () => randomUUID())}`;
}

describe("role enforcement on every route", () => {
  let app: TestApp;
  // The dashboards routes answer from Grafana; without one they would all answer 503.
  let grafana: FakeGrafana;
  const users = {} as Record<Role, TestUser>;

  beforeAll(async () => {
    grafana = await startFakeGrafana();
    app = await startTestApp({
      env: {
        GITHUB_CLIENT_ID: "client",
        GITHUB_CLIENT_SECRET: "secret",
        GITHUB_OAUTH_URL: "http://127.0.0.1:9/",
        GITHUB_API_URL: "http://127.0.0.1:9/",
        // Single sign-on on, so its routes run their handlers (no provider answers: they redirect with a reason).
        OIDC_ISSUER: "http://127.0.0.1:9/",
        OIDC_CLIENT_ID: "client",
        OIDC_CLIENT_SECRET: "secret",
        OIDC_TIMEOUT_MS: "1000",
        GRAFANA_URL: grafana.url,
        GRAFANA_SERVICE_ACCOUNT_TOKEN: grafana.token,
      },
    });
    for (const role of ROLES) users[role] = await signInAs(app, role);
  });
  afterAll(async () => {
    await app?.close();
    await grafana?.close();
  });

  async function freshToken(user: TestUser): Promise<string> {
    const login = await request(app, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password },
    });
    return login.body.tokens.accessToken;
  }

  const routes = apiRoutes({
    config: { auth: { jwtSecret: "x".repeat(32) }, github: { enabled: false }, oidc: { isEnabled: false } },
  } as never);

  it("covers a route table with every method the API serves", () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(new Set(routes.map((route) => route.method))).toEqual(new Set(["get", "post", "patch", "put", "delete"]));
  });

  for (const route of routes) {
    const label = `${route.method.toUpperCase()} ${route.path} (${route.access})`;

    it(`${label}: without a token`, async () => {
      const response = await request(app, route.method, concretePath(route.path), {
        body: route.body ? {} : undefined,
      });
      // A public route may still refuse a missing credential of its own (refresh without a refresh token), but never
      // demands a sign-in.
      if (route.access === "public") expect(response.body?.code).not.toBe("unauthenticated");
      else {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe("unauthenticated");
      }
    });

    for (const role of ROLES) {
      it(`${label}: as ${role}`, async () => {
        // Logging out ends the session, so it gets a session of its own instead of the shared one.
        const token = route.path === "/auth/logout" ? await freshToken(users[role]) : users[role].token;
        const response = await request(app, route.method, concretePath(route.path), {
          token,
          body: route.body ? {} : undefined,
        });
        const isAllowed = route.access === "public" || hasRole(role, route.access);
        if (isAllowed) {
          expect(response.status).not.toBe(403);
          expect(response.body?.code).not.toBe("unauthenticated");
          expect(response.status).toBeLessThan(500);
        } else {
          expect(response.status).toBe(403);
          expect(response.body.code).toBe("forbidden");
        }
      });
    }
  }

  it("a USER token cannot change anything", async () => {
    const unsafe = routes.filter(
      (route) => route.method !== "get" && route.access !== "public" && route.access !== "USER",
    );
    expect(unsafe.length).toBeGreaterThan(10);
    for (const route of unsafe) {
      const response = await request(app, route.method, concretePath(route.path), {
        token: users.USER.token,
        body: {},
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it("a known path with an unserved method answers 405 with Allow, before any authentication", async () => {
    const response = await request(app, "PUT", "/api/v1/catalogs");
    expect(response.status).toBe(405);
    expect(response.body.code).toBe("method_not_allowed");
    expect(response.headers.get("allow")).toBe("GET, POST");
  });
});
