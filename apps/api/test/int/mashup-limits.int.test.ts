import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDeps } from "../../src/create-app-deps.ts";
import { startEngine } from "../../src/engine.ts";
import { createLogger } from "../../src/logger.ts";
import { createNodeRedClient, type NodeRedClient } from "../../src/node-red/node-red-client.ts";
import { createBullmqRunQueue } from "../../src/queue/bullmq-run-queue.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { TEST_REDIS_URL } from "../test-env.ts";
import { sharedNodeRed } from "../test-run.ts";

const SLOW_MS = 300;
const LIMITS = { maxConcurrency: 2, ratePerSecond: 5 };

/** Every call either engine makes to Node-RED, with its path, engine, start and end. */
interface Call {
  path: string;
  engine: string;
  startedAt: number;
  endedAt?: number;
}

function recordingClient(engine: string, calls: Call[]): NodeRedClient {
  const client = createNodeRedClient(sharedNodeRed());
  return {
    ...client,
    async invokeMashup(call) {
      const entry: Call = { path: call.path, engine, startedAt: Date.now() };
      calls.push(entry);
      try {
        return await client.invokeMashup(call);
      } finally {
        entry.endedAt = Date.now();
      }
    },
  };
}

/** The most calls in flight at once, from their start and end times. */
function peakInFlight(calls: Call[]): number {
  const edges = calls.flatMap((call) => [
    { at: call.startedAt, delta: 1 },
    { at: call.endedAt!, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (current += edge.delta));
  return peak;
}

/** The most calls started within any one second. */
function peakPerSecond(calls: Call[]): number {
  const starts = calls.map((call) => call.startedAt).sort((a, b) => a - b);
  return Math.max(...starts.map((start) => starts.filter((at) => at >= start && at < start + 1000).length));
}

/**
 * Two engines on one database and one Redis (BullMQ delivers to both), each with its own limiter connection: the
 * limits hold only if Redis holds them. The mashup's runs wait without their worker slots, so another mashup's runs
 * finish meanwhile.
 */
describe("per-mashup limits across two engines", () => {
  let app: TestApp;
  let developer: TestUser;
  let second: ReturnType<typeof startEngine> | undefined;
  let closeSecondQueue: (() => Promise<void>) | undefined;
  const calls: Call[] = [];

  beforeAll(async () => {
    const prefix = `status-test:${uniqueSuffix()}:`;
    // REDIS_URL makes each engine's limiter use Redis; two run slots each, so the waiting runs must free theirs.
    const env = {
      RUN_CONCURRENCY: "2",
      MASHUP_TIMEOUT_MS: "5000",
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    };
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      queue: "bullmq",
      env,
      nodeRed: recordingClient("first", calls),
    });
    const log = createLogger("silent");
    const queue = createBullmqRunQueue({ url: TEST_REDIS_URL, keyPrefix: app.environment.REDIS_KEY_PREFIX!, log });
    closeSecondQueue = () => queue.close();
    const deps = createAppDeps({
      config: app.config,
      db: app.deps.db,
      cache: app.deps.cache,
      log,
      runQueue: queue,
      nodeRed: recordingClient("second", calls),
      now: () => new Date(),
    });
    second = startEngine(deps, { isWorker: true, isScheduler: false });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await second?.stop(2_000);
    await closeSecondQueue?.();
    await app?.close();
  });

  it("sets, reads and clears a mashup's limits (DEVELOPER), refusing bad values and unknown flows", async () => {
    const path = "/api/v1/mashups/test-echo/limits";
    const viewer = await signInAs(app, "USER");
    expect((await request(app, "GET", path, { token: viewer.token })).body).toMatchObject({
      mashupId: "test-echo",
      maxConcurrency: null,
      ratePerSecond: null,
    });
    const body = { maxConcurrency: 3, ratePerSecond: 0.5 };
    expect((await request(app, "PUT", path, { token: viewer.token, body })).status).toBe(403);
    expectProblem(
      await request(app, "PUT", path, { token: developer.token, body: { maxConcurrency: 0, ratePerSecond: -1 } }),
      400,
      "validation_failed",
    );
    expect(
      (await request(app, "PUT", "/api/v1/mashups/no-such-flow/limits", { token: developer.token, body })).status,
    ).toBe(404);
    const set = await request(app, "PUT", path, { token: developer.token, body });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ mashupId: "test-echo", maxConcurrency: 3, ratePerSecond: 0.5 });
    expect((await request(app, "GET", path, { token: viewer.token })).body).toMatchObject(body);
    const cleared = await request(app, "PUT", path, {
      token: developer.token,
      body: { maxConcurrency: null, ratePerSecond: null },
    });
    expect(cleared.body).toMatchObject({ maxConcurrency: null, ratePerSecond: null, updatedAt: null });
    const audit = await app.deps.db.query(
      "select before, after from audit_log where resource_type = 'mashup_limits' and resource_id = 'test-echo' order by id",
    );
    expect(audit.rows).toHaveLength(2);
  });

  it("never exceeds a mashup's limits across both engines, while another mashup's runs proceed", async () => {
    const set = await request(app, "PUT", "/api/v1/mashups/test-slow/limits", { token: developer.token, body: LIMITS });
    expect(set.status).toBe(200);
    const slow = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: SLOW_MS },
    });
    const fast = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const range = { from: "2025-03-01T00:00:00Z", to: "2025-03-17T00:00:00Z" };
    const slowBatch = await startRuns(app, developer.token, slow.control.id, range);
    const fastBatch = await startRuns(app, developer.token, fast.control.id, range);

    const fastDone = await waitForBatch(app, developer.token, fastBatch.batch.id, 30_000);
    const fastDoneAt = Date.now();
    const slowDone = await waitForBatch(app, developer.token, slowBatch.batch.id, 60_000);

    expect(fastDone.runs.every((run) => run.status === "succeeded")).toBe(true);
    expect(slowDone.runs.every((run) => run.status === "succeeded")).toBe(true);
    const slowCalls = calls.filter((call) => call.path === "/test/slow");
    expect(slowCalls).toHaveLength(16);
    // Both engines called the limited flow, each through its own limiter: only Redis can hold the limits.
    expect(new Set(slowCalls.map((call) => call.engine))).toEqual(new Set(["first", "second"]));
    expect(peakInFlight(slowCalls)).toBeLessThanOrEqual(LIMITS.maxConcurrency);
    // 5 a second plus the bucket's burst of one.
    expect(peakPerSecond(slowCalls)).toBeLessThanOrEqual(LIMITS.ratePerSecond + 1);
    expect(
      Math.max(...slowCalls.map((call) => call.startedAt)) - Math.min(...slowCalls.map((c) => c.startedAt)),
    ).toBeGreaterThanOrEqual(((16 - 1 - 1) / LIMITS.ratePerSecond) * 1000 - 100);
    // The other mashup was not held up behind the limited one: its runs were done while the limited ones still ran.
    expect(fastDoneAt).toBeLessThan(Math.max(...slowCalls.map((call) => call.startedAt)));
  });
});
