import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTcpProxy, type TcpProxy } from "../faults/tcp-proxy.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * Postgres cut away behind a loopback proxy (the shared server is never touched): requests answer 503
 * `database_unavailable` with Retry-After at once, or within the dependency deadline when the server stops answering,
 * and everything works again once it is back.
 */
const DEADLINE_MS = 1_500;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("not recovered in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe("a database outage", () => {
  let proxy: TcpProxy;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp({
      wrapDatabaseUrl: async (url) => {
        const target = new URL(url);
        proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
        return proxy.urlFor(url);
      },
      env: { DEPENDENCY_TIMEOUT_MS: String(DEADLINE_MS) },
    });
    user = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await proxy?.restore();
    await app?.close();
    await proxy?.close();
  });

  const listCatalogs = () => request(app, "GET", "/api/v1/catalogs", { token: user.token });

  it("answers 503 database_unavailable with Retry-After within a second while the server refuses, never 500", async () => {
    expect((await listCatalogs()).status).toBe(200);

    await proxy.cut();
    const answers = await Promise.all(Array.from({ length: 10 }, () => timed(listCatalogs)));

    for (const { result, ms } of answers) {
      expectProblem(result, 503, "database_unavailable");
      expect(Number(result.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(ms).toBeLessThan(1_000);
    }
    await proxy.restore();
    const recoveredInMs = await waitUntil(async () => (await listCatalogs()).status === 200, 5_000);
    expect(recoveredInMs).toBeLessThan(3_000);
  });

  it("answers 503 within the deadline when the server stops answering, then serves again", async () => {
    expect((await listCatalogs()).status).toBe(200);

    proxy.hang();
    const answers = await Promise.all(Array.from({ length: 5 }, () => timed(listCatalogs)));

    for (const { result, ms } of answers) {
      expectProblem(result, 503, "database_unavailable");
      expect(ms).toBeLessThan(DEADLINE_MS + 1_000);
    }
    await proxy.restore();
    await waitUntil(async () => (await listCatalogs()).status === 200, 5_000);
  });

  it("reports the database down in readiness and keeps liveness up", async () => {
    await proxy.cut();
    try {
      const ready = await request(app, "GET", "/api/v1/health/ready");
      const live = await request(app, "GET", "/api/v1/health");

      expect(ready.status).toBe(503);
      expect(live.status).toBe(200);
    } finally {
      await proxy.restore();
    }
  });
});
