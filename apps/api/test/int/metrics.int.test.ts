import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient } from "../../src/node-red/node-red-client.ts";
import { createEvaluableControl, startRuns, waitForRun } from "../engine/engine-helpers.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { parseSamples, sampleValue } from "../prometheus-text.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

/**
 * Prometheus metrics (prom-client, one registry per process): /metrics on the API with METRICS_TOKEN, and on a
 * worker's METRICS_PORT; what the engine, the points chain, Node-RED calls and HTTP requests record.
 */

const TOKEN = randomBytes(24).toString("hex");

async function scrape(app: TestApp): Promise<string> {
  const response = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
  return response.text();
}

/**
 * Scrapes until a sample is there: a run's status is visible in the database a moment before its worker records it
 * (the record follows the commit), and the test polls the database.
 */
async function scrapeOnceRecorded(app: TestApp, name: string, labels: Record<string, string>): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = await scrape(app);
    if (sampleValue(text, name, labels) !== undefined || Date.now() > deadline) return text;
    await sleep(50);
  }
}

describe("GET /metrics on the API", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { METRICS_TOKEN: TOKEN } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("answers Prometheus's text format with the Bearer token, and 401 without it or with another", async () => {
    const missing = await fetch(`${app.baseUrl}/metrics`);
    const wrong = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    const scraped = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });

    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(wrong.status).toBe(401);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await scraped.text();
    expect(() => parseSamples(text)).not.toThrow();
    expect(text).toContain("# TYPE status_http_request_duration_seconds histogram");
  });

  it("labels requests with the route table's template, never the raw URL", async () => {
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await request(app, "GET", `/api/v1/catalogs/${id}`, { token: developer.token });
    await request(app, "GET", `/api/v1/no-such-route/${ids[0]}`, { token: developer.token });

    const text = await scrape(app);

    const labels = { method: "GET", route: "/api/v1/catalogs/:id", status: "404" };
    expect(sampleValue(text, "status_http_request_duration_seconds_count", labels)).toBe(2);
    expect(sampleValue(text, "status_http_request_duration_seconds_count", { route: "unmatched" })).toBe(1);
    for (const id of ids) expect(text).not.toContain(id);
  });

  it("counts runs by trigger and status with their duration, the Node-RED calls and the points they wrote", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const failing = await createEvaluableControl(app, developer.token, { mashupId: "test-malformed" });
    const passed = (await startRuns(app, developer.token, control.id)).runs[0]!;
    const failed = (await startRuns(app, developer.token, failing.control.id)).runs[0]!;
    await waitForRun(app, developer.token, passed.id, (run) => run.status === "succeeded");
    await waitForRun(app, developer.token, failed.id, (run) => run.status === "failed");
    const verified = await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, {
      token: developer.token,
    });

    const text = await scrapeOnceRecorded(app, "status_runs_total", { trigger: "manual", status: "failed" });

    expect(verified.body.isIntact).toBe(true);
    expect(sampleValue(text, "status_runs_total", { trigger: "manual", status: "succeeded" })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sampleValue(text, "status_runs_total", { trigger: "manual", status: "failed" })).toBeGreaterThanOrEqual(1);
    const durations = sampleValue(text, "status_run_duration_seconds_count", {
      trigger: "manual",
      status: "succeeded",
    });
    expect(durations).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "status_node_red_call_duration_seconds_count", { outcome: "2xx" })).toBeGreaterThanOrEqual(
      2,
    );
    expect(sampleValue(text, "status_points_written_total", { source: "engine" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "status_chain_verifications_total", { result: "intact" })).toBe(1);
  });

  it("shows the database pool, the event-loop lag and the queue", async () => {
    const text = await scrape(app);

    expect(sampleValue(text, "status_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "status_db_pool_max_connections")).toBe(10);
    expect(sampleValue(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "status_run_queue_depth")).toBe(0);
  });
});

describe("the queue and Node-RED failures in the metrics", () => {
  it("reports the queued runs and how long the oldest due one has waited", async () => {
    const app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    try {
      const developer = await signInAs(app, "DEVELOPER");
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const created = await startRuns(app, developer.token, control.id, {
        from: "2025-03-01T00:00:00Z",
        to: "2025-03-04T00:00:00Z",
      });
      // No worker: the runs wait. One has waited 90 s since it became due.
      await app.deps.db.query("update runs set next_attempt_at = now() - interval '90 seconds' where id = $1", [
        created.runs[0]!.id,
      ]);

      const text = await scrape(app);

      expect(sampleValue(text, "status_run_queue_depth")).toBe(3);
      expect(sampleValue(text, "status_run_queue_oldest_age_seconds")).toBeGreaterThanOrEqual(90);
    } finally {
      await app.close();
    }
  });

  it("counts Node-RED calls that found nobody listening as errors, and the run that gave up", async () => {
    const shared = sharedNodeRed();
    // Node-RED's admin API answers (the mashup is found), its HTTP nodes do not (nothing listens at port 9).
    const nobodyListening = createNodeRedClient({ ...shared, baseUrl: "http://127.0.0.1:9" });
    const app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      // A run waits for an unreachable Node-RED (each try counted) until NODE_RED_WAIT_MAX_MS, then gives up.
      env: { METRICS_TOKEN: TOKEN, RUN_MAX_ATTEMPTS: "1", NODE_RED_WAIT_MAX_MS: "1000" },
      nodeRed: { ...createNodeRedClient(shared), invokeMashup: (call) => nobodyListening.invokeMashup(call) },
    });
    try {
      const developer = await signInAs(app, "DEVELOPER");
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const run = (await startRuns(app, developer.token, control.id)).runs[0]!;
      await waitForRun(app, developer.token, run.id, (candidate) => candidate.status === "error");

      const text = await scrapeOnceRecorded(app, "status_runs_total", { trigger: "manual", status: "error" });

      const unreachable = sampleValue(text, "status_node_red_call_errors_total", { reason: "unreachable" });
      expect(unreachable).toBeGreaterThanOrEqual(2);
      expect(sampleValue(text, "status_node_red_call_duration_seconds_count", { outcome: "unreachable" })).toBe(
        unreachable,
      );
      expect(sampleValue(text, "status_runs_total", { trigger: "manual", status: "error" })).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe("metrics switched off or moved", () => {
  it("answers 404 at /metrics without METRICS_TOKEN, and with METRICS_PORT serves them on that port only", async () => {
    const off = await startTestApp();
    const port = await freeLoopbackPort();
    const moved = await startTestApp({ env: { METRICS_TOKEN: TOKEN, METRICS_PORT: String(port) } });
    try {
      const disabled = await fetch(`${off.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(disabled.status).toBe(404);
      expect(await disabled.text()).toBe("Metrics are served only with METRICS_TOKEN set\n");
      const elsewhere = await fetch(`${moved.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(elsewhere.status).toBe(404);
    } finally {
      await off.close();
      await moved.close();
    }
  });

  it("lets a separate worker serve its metrics on METRICS_PORT with the token", async () => {
    const app = await startTestApp({ queue: "bullmq", env: { SCHEDULER_ENABLED: "false" } });
    const port = await freeLoopbackPort();
    const nodeRed = sharedNodeRed();
    const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: {
        ...process.env,
        ...app.environment,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        SCHEDULER_ENABLED: "false",
        NODE_RED_URL: nodeRed.baseUrl,
        NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
        NODE_RED_SERVICE_USER: nodeRed.user,
        NODE_RED_SERVICE_PASSWORD: nodeRed.password,
        METRICS_TOKEN: TOKEN,
        METRICS_PORT: String(port),
      },
      stdio: "ignore",
    });
    try {
      const developer = await signInAs(app, "DEVELOPER");
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const run = (await startRuns(app, developer.token, control.id)).runs[0]!;
      await waitForRun(app, developer.token, run.id, (candidate) => candidate.status === "succeeded", 30_000);
      // The worker records the run just after its commit, which the API's answer above may precede.
      const labels = { trigger: "manual", status: "succeeded" };
      let text = "";
      for (
        let attempt = 0;
        attempt < 100 && sampleValue(text, "status_runs_total", labels) === undefined;
        attempt += 1
      ) {
        const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        }).catch(() => undefined);
        text = scraped?.status === 200 ? await scraped.text() : "";
        if (sampleValue(text, "status_runs_total", labels) === undefined) await sleep(100);
      }

      expect(sampleValue(text, "status_runs_total", { trigger: "manual", status: "succeeded" })).toBe(1);
      expect(sampleValue(text, "status_node_red_call_duration_seconds_count", { outcome: "2xx" })).toBe(1);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      worker.kill("SIGKILL");
      await app.close();
    }
  }, 60_000);
});
