import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Run } from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient } from "../../src/node-red/node-red-client.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestNodeRed, type TestNodeRed } from "../node-red-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { createEvaluableControl, startRuns, waitForBatch, waitForRun } from "../engine/engine-helpers.ts";

/**
 * Node-RED restarting under running runs: unreachable, reset, or up without its flows loaded yet. None of it uses up a
 * run's attempts (RUN_MAX_ATTEMPTS=1 here, so any attempt used up would end a run `error`); runs wait with backoff,
 * and only past NODE_RED_WAIT_MAX_MS do they end `error`, with the reason.
 */
const STRICT_ENGINE = { RUN_MAX_ATTEMPTS: "1", RUN_RETRY_BASE_MS: "50", RUN_CONCURRENCY: "8", MASHUP_CONCURRENCY: "8" };

describe("runs through a Node-RED restart", () => {
  let nodeRed: TestNodeRed;
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    nodeRed = await startTestNodeRed({ restartDelayMs: 100 });
    app = await startTestApp({
      nodeRed: createNodeRedClient(nodeRed.credentials, { areFlowsStarted: () => nodeRed.process.areFlowsStarted }),
      engine: { isWorker: true, isScheduler: false },
      env: STRICT_ENGINE,
    });
    developer = await signInAs(app, "DEVELOPER");
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await nodeRed?.stop();
  });

  it("finishes every run once, without using attempts, when Node-RED is killed three times mid-batch", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 150 },
    });
    const created = await startRuns(app, developer.token, control.id, {
      from: "2025-03-01T00:00:00Z",
      to: "2025-04-30T00:00:00Z",
    });

    for (let kill = 0; kill < 3; kill += 1) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const restartsBefore = nodeRed.process.restarts;
      process.kill(nodeRed.process.pid!, "SIGKILL");
      await expect.poll(() => nodeRed.process.restarts, { timeout: 10_000 }).toBeGreaterThan(restartsBefore);
    }
    const { batch, runs } = await waitForBatch(app, developer.token, created.batch.id, 50_000);

    expect(batch.counts).toMatchObject({ succeeded: 60, error: 0, failed: 0 });
    expect(runs.every((run) => run.attempts === 1)).toBe(true);
    // The kills did land on runs in flight: those waited for Node-RED (and gave their attempts back).
    const waited = await app.deps.db.query<{ count: number }>(
      "select count(*)::int as count from runs where batch_id = $1 and node_red_waiting_since is not null",
      [created.batch.id],
    );
    expect(waited.rows[0]!.count).toBeGreaterThan(0);
    const points = await app.deps.db.query<{ windows: number; total: number }>(
      "select count(distinct window_start)::int as windows, count(*)::int as total from points where control_id = $1",
      [control.id],
    );
    expect(points.rows[0]).toEqual({ windows: 60, total: 60 });
    const verified = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });
    expect(verified.body).toMatchObject({ isIntact: true, pointCount: 60 });
  }, 60_000);
});

/** A Node-RED stand-in that lists one flow and answers its endpoint 404 ("Cannot POST") a few times first. */
async function startNodeRedLoadingFlows(notLoadedCalls: number): Promise<{ server: Server; baseUrl: string }> {
  let calls = 0;
  const flows = [
    { id: "loading", type: "tab", label: "Loading" },
    { id: "loading-in", type: "http in", z: "loading", url: "/loading", method: "post" },
  ];
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/flows")
      return void res.setHeader("content-type", "application/json").end(JSON.stringify({ flows }));
    if (req.method === "GET" && req.url === "/settings")
      return void res.setHeader("content-type", "application/json").end("{}");
    if (req.method === "POST" && req.url === "/api/v1/loading") {
      calls += 1;
      if (calls <= notLoadedCalls)
        return void res.writeHead(404, { "content-type": "text/html" }).end("Cannot POST /api/v1/loading");
      return void res
        .setHeader("content-type", "application/json")
        .end(JSON.stringify({ value: true, evidences: [{ key: "k", value: 1, result: true }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("runs and a Node-RED that is not there", () => {
  let app: TestApp | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await app?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    app = undefined;
    server = undefined;
  });

  const credentials = (baseUrl: string) => ({ baseUrl, httpRoot: "/api/v1", user: "status-service", password: "x" });

  it("treats a 404 for a flow the flow list has as flows not loaded yet, not as the flow's answer", async () => {
    const fake = await startNodeRedLoadingFlows(3);
    server = fake.server;
    app = await startTestApp({
      nodeRed: createNodeRedClient(credentials(fake.baseUrl)),
      engine: { isWorker: true, isScheduler: false },
      env: STRICT_ENGINE,
    });
    const developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "loading" });

    const created = await startRuns(app, developer.token, control.id);
    const run = await waitForRun(app, developer.token, created.runs[0]!.id, (candidate: Run) =>
      ["succeeded", "failed", "error"].includes(candidate.status),
    );

    expect(run).toMatchObject({ status: "succeeded", attempts: 1 });
  }, 30_000);

  it("ends a run `error` with the reason once Node-RED stayed away past NODE_RED_WAIT_MAX_MS", async () => {
    // Nothing listens on port 1.
    app = await startTestApp({
      nodeRed: createNodeRedClient(credentials("http://127.0.0.1:1")),
      engine: { isWorker: true, isScheduler: false },
      env: { ...STRICT_ENGINE, NODE_RED_WAIT_MAX_MS: "2000" },
    });
    const developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });

    const started = Date.now();
    const created = await startRuns(app, developer.token, control.id);
    const run = await waitForRun(
      app,
      developer.token,
      created.runs[0]!.id,
      (candidate: Run) => candidate.status === "error",
      15_000,
    );

    expect(run.error).toMatch(/Node-RED stayed unavailable for \d+ s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
