import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestResponse, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * More requests at once than an instance serves (MAX_CONCURRENT_REQUESTS): the excess is refused at once with 503
 * `overloaded` and Retry-After instead of waiting in line; health and readiness are still answered; the instance
 * serves normally afterwards.
 */
const LIMIT = 4;
const WINDOW = { from: "2025-05-01T00:00:00Z", to: "2025-06-01T00:00:00Z" };

async function timed(work: () => Promise<TestResponse>): Promise<{ response: TestResponse; ms: number }> {
  const started = performance.now();
  const response = await work();
  return { response, ms: performance.now() - started };
}

describe("overload", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_CONCURRENT_REQUESTS: String(LIMIT) } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  // Each holds a slot for a second: a mashup that answers after 1 s.
  const slowRequest = () =>
    request(app, "POST", "/api/v1/mashups/test-slow/test", {
      token: developer.token,
      body: { ...WINDOW, params: { delayMs: 1_000 } },
    });

  it("refuses the excess at once with 503 overloaded and Retry-After, keeps probes answered, and recovers", async () => {
    const flood = Array.from({ length: 12 }, () => timed(slowRequest));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await request(app, "GET", "/api/v1/health");
    const ready = await request(app, "GET", "/api/v1/health/ready");
    const answers = await Promise.all(flood);

    const served = answers.filter(({ response }) => response.status === 200);
    const refused = answers.filter(({ response }) => response.status === 503);
    expect(served).toHaveLength(LIMIT);
    expect(refused).toHaveLength(12 - LIMIT);
    for (const { response, ms } of refused) {
      expectProblem(response, 503, "overloaded");
      expect(response.headers.get("retry-after")).toBe("1");
      // At once: a served request holds its slot for the mashup's full second.
      expect(ms).toBeLessThan(1_000);
    }
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect((await request(app, "GET", "/api/v1/catalogs", { token: developer.token })).status).toBe(200);
  });

  it("frees the slot of a client that gave up", async () => {
    const controllers = Array.from({ length: LIMIT }, () => new AbortController());
    const abandoned = controllers.map((controller) =>
      fetch(`${app.baseUrl}/api/v1/mashups/test-slow/test`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${developer.token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...WINDOW, params: { delayMs: 3_000 } }),
      }).catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expectProblem(await request(app, "GET", "/api/v1/catalogs", { token: developer.token }), 503, "overloaded");

    for (const controller of controllers) controller.abort();
    await Promise.all(abandoned);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect((await request(app, "GET", "/api/v1/catalogs", { token: developer.token })).status).toBe(200);
  });
});
