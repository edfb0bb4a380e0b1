import { SystemHealthSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import {
  startFakeDirector,
  startFakeGovernifyRegistry,
  type FakeGovernifyRegistry,
} from "../fakes/fake-governify-registry.ts";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

describe("system health (FAKE Governify registry, director and Grafana)", () => {
  let app: TestApp;
  let grafana: FakeGrafana;
  let registry: FakeGovernifyRegistry;
  let director: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    registry = await startFakeGovernifyRegistry({ infrastructure: {} });
    director = await startFakeDirector();
    grafana = await startFakeGrafana();
    app = await startTestApp({
      env: {
        REGISTRY_URL: registry.url,
        DIRECTOR_URL: director.url,
        GRAFANA_URL: grafana.url,
        GRAFANA_SERVICE_ACCOUNT_TOKEN: grafana.token,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await registry?.close();
    await director?.close();
    await grafana?.close();
  });

  it("reports every dependency with status, latency and version; URLs to ADMIN only", async () => {
    const admin = await signInAs(app, "ADMIN");
    const response = await request(app, "GET", "/api/v1/system/health", { token: admin.token });
    const health = SystemHealthSchema.parse(response.body);
    const byName = new Map(health.dependencies.map((dependency) => [dependency.name, dependency]));
    expect([...byName.keys()]).toEqual(["database", "cache", "queue", "node-red", "grafana", "registry", "director"]);
    expect(byName.get("database")).toMatchObject({ status: "up", version: expect.stringMatching(/^PostgreSQL \d+/) });
    expect(byName.get("database")!.url).not.toContain("@");
    expect(byName.get("registry")).toMatchObject({ status: "up", version: "3.9.0-fake", url: registry.url });
    expect(byName.get("director")).toMatchObject({ status: "up", detail: "Task list", url: director.url });
    expect(byName.get("node-red")).toMatchObject({ status: "up", version: expect.stringMatching(/^4\./) });
    expect(byName.get("grafana")).toMatchObject({ status: "up", version: "11.3.0", url: grafana.url });
    expect(
      health.dependencies
        .filter((dependency) => dependency.status === "up")
        .every((dependency) => typeof dependency.latencyMs === "number"),
    ).toBe(true);
    expect(health.status).toBe("ok");

    const user = await signInAs(app, "USER");
    const forUser = SystemHealthSchema.parse(
      (await request(app, "GET", "/api/v1/system/health", { token: user.token })).body,
    );
    expect(forUser.dependencies.every((dependency) => dependency.url === null)).toBe(true);
    expectProblem(await request(app, "GET", "/api/v1/system/health"), 401, "unauthenticated");
  });

  it("is degraded with the reason when the registry is down", async () => {
    const down = await startTestApp({ env: { REGISTRY_URL: "http://127.0.0.1:9" } });
    try {
      const admin = await signInAs(down, "ADMIN");
      const health = SystemHealthSchema.parse(
        (await request(down, "GET", "/api/v1/system/health", { token: admin.token })).body,
      );
      expect(health.status).toBe("degraded");
      expect(health.dependencies.find((dependency) => dependency.name === "registry")).toMatchObject({
        status: "down",
        detail: expect.stringContaining("unreachable"),
      });
      expect(health.dependencies.find((dependency) => dependency.name === "director")!.status).toBe("not_configured");
      expect(health.dependencies.find((dependency) => dependency.name === "grafana")!.status).toBe("not_configured");
    } finally {
      await down.close();
    }
  });
});

describe("the registry's forwarded accessToken cookie on the collector", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it("authenticates a personal API token, with no CSRF proof needed, and refuses a session token there", async () => {
    const developer = await signInAs(app, "DEVELOPER");
    const created = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: "registry", expiresInDays: 1 },
    });
    const viaCookie = await request(app, "GET", "/api/v1/auth/me", {
      headers: { cookie: `accessToken=${created.body.token}` },
    });
    expect(viaCookie.status).toBe(200);
    const collector = await request(app, "POST", "/api/v1/computations", {
      headers: { cookie: `accessToken=${created.body.token}` },
      body: {
        config: {},
        metric: { params: {}, scope: {}, window: { initial: "2025-01-01T00:00:00Z", end: "2025-01-02T00:00:00Z" } },
      },
    });
    expect(collector.status).toBe(400); // authenticated, and no CSRF refusal: only the missing controlId is wrong
    expectProblem(
      await request(app, "GET", "/api/v1/auth/me", { headers: { cookie: `accessToken=${developer.token}` } }),
      401,
      "token_invalid",
    );
  });
});
