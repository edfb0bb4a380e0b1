import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { SystemHealthSchema } from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import type { AppDeps } from "../../src/deps.ts";
import { decryptSecret } from "../../src/lib/secret-box.ts";
import { probeGrafana, startGrafanaBootstrap } from "../../src/modules/dashboards/index.ts";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * STATUS makes its own Grafana service account and token through Grafana's HTTP API with the admin credentials from
 * the environment (GRAFANA_ADMIN_USER / GRAFANA_ADMIN_PASSWORD), keeps the token encrypted, and makes a new one when
 * Grafana no longer takes it; until Grafana answers, the API serves and reports Grafana as pending. Against the FAKE
 * Grafana (test/fakes/fake-grafana.ts), which follows Grafana's service-account API.
 */

const ENCRYPTION_KEY = randomBytes(32).toString("hex");

interface StoredRow {
  grafana_url: string;
  service_account_id: number;
  token_id: number;
  token_encrypted: string;
}

async function storedRow(app: TestApp): Promise<StoredRow | undefined> {
  const result = await app.deps.db.query<StoredRow>("select * from grafana_service_account");
  return result.rows[0];
}

function managedEnv(grafana: { url: string; admin: { user: string; password: string } }): Record<string, string> {
  return {
    GRAFANA_URL: grafana.url,
    GRAFANA_ADMIN_USER: grafana.admin.user,
    GRAFANA_ADMIN_PASSWORD: grafana.admin.password,
    STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY,
    GRAFANA_TIMEOUT_MS: "1000",
  };
}

/** Another API process on the same database and Redis: the same clients, a configuration object of its own. */
function anotherProcess(app: TestApp, env: Record<string, string>): AppDeps {
  const config = loadConfig({ ...app.environment, NODE_ENV: "test", ...env });
  return { ...app.deps, config };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function statusAccount(grafana: FakeGrafana) {
  return [...grafana.serviceAccounts.values()].find((account) => account.name === "status");
}

async function grafanaHealthOf(app: TestApp, token: string) {
  const health = SystemHealthSchema.parse((await request(app, "GET", "/api/v1/system/health", { token })).body);
  return health.dependencies.find((dependency) => dependency.name === "grafana")!;
}

describe("STATUS's own Grafana service account (FAKE Grafana)", () => {
  let grafana: FakeGrafana;
  let app: TestApp;
  let stopBootstrap: (() => void) | undefined;

  beforeAll(async () => {
    grafana = await startFakeGrafana();
    app = await startTestApp({ env: managedEnv(grafana) });
  });
  afterEach(() => stopBootstrap?.());
  afterAll(async () => {
    await app?.close();
    await grafana?.close();
  });

  it("makes a service account and token with the admin credentials on start, stores the token encrypted and uses it", async () => {
    stopBootstrap = startGrafanaBootstrap(app.deps).stop;
    const account = await waitFor("the service account's token", async () =>
      statusAccount(grafana)?.tokens.length === 1 ? statusAccount(grafana) : undefined,
    );
    const row = await waitFor("the stored token", () => storedRow(app));
    const [token] = account.tokens;

    expect(account.role).toBe("Admin");
    const adminCalls = grafana.requests.filter((call) => call.path.startsWith("/api/serviceaccounts"));
    expect(adminCalls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /api/serviceaccounts/search",
      "POST /api/serviceaccounts",
      `POST /api/serviceaccounts/${account.id}/tokens`,
    ]);
    const basic = `Basic ${Buffer.from(`${grafana.admin.user}:${grafana.admin.password}`).toString("base64")}`;
    expect(adminCalls.every((call) => call.headers.authorization === basic)).toBe(true);
    expect(row).toMatchObject({ grafana_url: grafana.url, service_account_id: account.id, token_id: token!.id });
    expect(row.token_encrypted).not.toContain(token!.key);
    expect(decryptSecret(Buffer.from(ENCRYPTION_KEY, "hex"), row.token_encrypted)).toBe(token!.key);

    const user = await signInAs(app, "USER");
    expect((await request(app, "GET", "/api/v1/dashboards", { token: user.token })).status).toBe(200);
    expect(grafana.requests.at(-1)).toMatchObject({
      path: "/api/search",
      headers: { authorization: `Bearer ${token!.key}` },
    });
    expect(await grafanaHealthOf(app, user.token)).toMatchObject({ status: "up", version: "11.3.0" });
  });

  it("makes a new token when Grafana no longer takes it (revoked), and keeps serving", async () => {
    const before = statusAccount(grafana)!.tokens[0]!;
    expect(grafana.revokeToken(before.key)).toBe(true);
    const developer = await signInAs(app, "DEVELOPER");
    const requestsBefore = grafana.requests.length;

    const response = await request(app, "POST", "/api/v1/dashboard-folders", {
      token: developer.token,
      body: { title: `after revocation ${randomBytes(3).toString("hex")}` },
    });

    expect(response.status).toBe(201);
    const tokens = statusAccount(grafana)!.tokens;
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.key).not.toBe(before.key);
    const account = statusAccount(grafana)!;
    const calls = grafana.requests.slice(requestsBefore);
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /api/folders",
      "GET /api/serviceaccounts/search",
      `POST /api/serviceaccounts/${account.id}/tokens`,
      // The replaced token is deleted; a revoked one is gone already (404, which is fine).
      `DELETE /api/serviceaccounts/${account.id}/tokens/${before.id}`,
      "POST /api/folders",
    ]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${before.key}`);
    expect(calls[4]!.headers.authorization).toBe(`Bearer ${tokens[0]!.key}`);
    const row = await storedRow(app);
    expect(decryptSecret(Buffer.from(ENCRYPTION_KEY, "hex"), row!.token_encrypted)).toBe(tokens[0]!.key);
    expect(row!.token_id).toBe(tokens[0]!.id);
  });

  it("reuses the stored token in another process (a restart), making none", async () => {
    const stored = statusAccount(grafana)!.tokens[0]!;
    const requestsBefore = grafana.requests.length;

    const probe = await probeGrafana(anotherProcess(app, managedEnv(grafana)));

    expect(probe).toMatchObject({ status: "up", version: "11.3.0" });
    expect(statusAccount(grafana)!.tokens.map((token) => token.key)).toEqual([stored.key]);
    const made = grafana.requests.slice(requestsBefore).filter((call) => call.path.startsWith("/api/serviceaccounts"));
    expect(made).toEqual([]);
  });

  it("replaces a token it can no longer decrypt (a new STATUS_ENCRYPTION_KEY) and deletes the old one in Grafana", async () => {
    const old = statusAccount(grafana)!.tokens[0]!;
    const newKey = randomBytes(32).toString("hex");

    const probe = await probeGrafana(anotherProcess(app, { ...managedEnv(grafana), STATUS_ENCRYPTION_KEY: newKey }));

    expect(probe.status).toBe("up");
    const tokens = statusAccount(grafana)!.tokens;
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.key).not.toBe(old.key);
    expect(grafana.requests.some((call) => call.method === "DELETE" && call.path.endsWith(`/tokens/${old.id}`))).toBe(
      true,
    );
    expect(decryptSecret(Buffer.from(newKey, "hex"), (await storedRow(app))!.token_encrypted)).toBe(tokens[0]!.key);
  });

  it("makes one token when two processes need one at the same moment (a lock in Redis)", async () => {
    const account = statusAccount(grafana)!;
    grafana.revokeToken(account.tokens[0]!.key);
    const processes = [anotherProcess(app, managedEnv(grafana)), anotherProcess(app, managedEnv(grafana))];
    const requestsBefore = grafana.requests.length;

    const probes = await Promise.all(processes.map((deps) => probeGrafana(deps)));

    expect(probes.map((probe) => probe.status)).toEqual(["up", "up"]);
    expect(statusAccount(grafana)!.tokens).toHaveLength(1);
    const creations = grafana.requests
      .slice(requestsBefore)
      .filter((call) => call.method === "POST" && call.path === `/api/serviceaccounts/${account.id}/tokens`);
    expect(creations).toHaveLength(1);
  });
});

describe("Grafana not ready, or not set up, when the API starts (FAKE Grafana)", () => {
  it("starts while Grafana does not answer, reports it pending, and makes the service account once Grafana answers", async () => {
    const port = await freeLoopbackPort();
    const admin = { user: "admin", password: randomBytes(8).toString("hex") };
    const app = await startTestApp({ env: managedEnv({ url: `http://127.0.0.1:${port}/grafana`, admin }) });
    const bootstrap = startGrafanaBootstrap(app.deps);
    let grafana: FakeGrafana | undefined;
    try {
      const user = await signInAs(app, "USER");
      expect(await grafanaHealthOf(app, user.token)).toMatchObject({
        status: "pending",
        detail: expect.stringContaining("Waiting for Grafana to answer"),
      });
      const pending = await request(app, "GET", "/api/v1/dashboards", { token: user.token });
      expectProblem(pending, 503, "grafana_pending");
      expect(pending.headers.get("retry-after")).toBe("5");
      expect((await request(app, "GET", "/api/v1/grafana/health", { token: user.token })).body).toMatchObject({
        name: "grafana",
        status: "pending",
      });
      const overall = SystemHealthSchema.parse(
        (await request(app, "GET", "/api/v1/system/health", { token: user.token })).body,
      );
      expect(overall.status).toBe("ok");

      grafana = await startFakeGrafana({ port, admin });
      await waitFor("the token", async () => (statusAccount(grafana!)?.tokens.length === 1 ? true : undefined));
      await waitFor("Grafana up", async () =>
        (await grafanaHealthOf(app, user.token)).status === "up" ? true : undefined,
      );
      expect((await request(app, "GET", "/api/v1/dashboards", { token: user.token })).status).toBe(200);
    } finally {
      bootstrap.stop();
      await app.close();
      await grafana?.close();
    }
  });

  it("reports Grafana down, naming the variables, when it refuses the admin credentials", async () => {
    const grafana = await startFakeGrafana();
    const app = await startTestApp({
      env: managedEnv({ url: grafana.url, admin: { user: grafana.admin.user, password: "not-the-password" } }),
    });
    try {
      const user = await signInAs(app, "USER");
      expectProblem(await request(app, "GET", "/api/v1/dashboards", { token: user.token }), 502, "grafana_auth_failed");
      expect(await grafanaHealthOf(app, user.token)).toMatchObject({
        status: "down",
        detail: expect.stringContaining("GRAFANA_ADMIN_PASSWORD"),
      });
      expect(grafana.serviceAccounts.size).toBe(0);
    } finally {
      await app.close();
      await grafana.close();
    }
  });

  it("starts with GRAFANA_URL and no credential at all, and says what to set", async () => {
    const app = await startTestApp({ env: { GRAFANA_URL: "http://127.0.0.1:9/grafana" } });
    try {
      const user = await signInAs(app, "USER");
      const refused = expectProblem(
        await request(app, "GET", "/api/v1/dashboards", { token: user.token }),
        503,
        "grafana_not_configured",
      );
      expect(refused.detail).toMatch(/GRAFANA_ADMIN_PASSWORD.*GRAFANA_SERVICE_ACCOUNT_TOKEN/);
      expect(await grafanaHealthOf(app, user.token)).toMatchObject({ status: "down" });
    } finally {
      await app.close();
    }
  });
});
