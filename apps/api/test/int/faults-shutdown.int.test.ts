import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { createEvaluableControl, startRuns, waitForRun } from "../engine/engine-helpers.ts";
import { waitWhileWorkersHoldRuns } from "../../src/modules/evaluation/index.ts";

/**
 * SIGTERM to a real API process (`src/main.ts`) with an open event stream, an idle keep-alive connection, a request
 * in flight and a run in flight: it stops accepting, ends the stream with a final event, lets the request finish,
 * gives the run back to the queue at the deadline (SHUTDOWN_TIMEOUT_MS) and exits 0.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SHUTDOWN_TIMEOUT_MS = 3_000;

interface SpawnedApi {
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; at: number }>;
}

async function spawnApi(app: TestApp, dataDir: string): Promise<SpawnedApi> {
  const port = await freeLoopbackPort();
  const nodeRed = sharedNodeRed();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: apiDir,
    env: {
      ...process.env,
      ...app.environment,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      WEB_DIST_DIR: "/nonexistent",
      SCHEDULER_ENABLED: "false",
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      NODE_RED_URL: nodeRed.baseUrl,
      NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
      NODE_RED_SERVICE_USER: nodeRed.user,
      NODE_RED_SERVICE_PASSWORD: nodeRed.password,
    },
    stdio: "ignore",
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: Date.now() })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 40_000;
  for (;;) {
    const answer = await fetch(`${baseUrl}/api/v1/health`).catch(() => undefined);
    if (answer?.ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the API did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, child, exited };
}

/** Reads an event stream until `text` arrives; answers when it did (epoch ms). */
async function readUntil(body: ReadableStream<Uint8Array>, text: string): Promise<number> {
  const decoder = new TextDecoder();
  let seen = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    seen += decoder.decode(chunk, { stream: true });
    if (seen.includes(text)) return Date.now();
  }
  throw new Error(`the stream ended without ${text}: ${seen}`);
}

describe("SIGTERM to the API", () => {
  let app: TestApp;
  let developer: TestUser;
  let dataDir: string;

  beforeAll(async () => {
    // The test app provides the database copy, the Redis prefix and the secrets; the API under test is a process.
    app = await startTestApp({ queue: "bullmq" });
    developer = await signInAs(app, "DEVELOPER");
    dataDir = await mkdtemp(path.join(os.tmpdir(), "status-shutdown-"));
  });
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("drains streams, idle connections, a request and a run in flight, and exits within the deadline", async () => {
    const api = await spawnApi(app, dataDir);
    const target = { baseUrl: api.baseUrl };
    try {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-slow",
        params: { delayMs: 30_000 },
      });
      const runId = (await startRuns(target as TestApp, developer.token, control.id)).runs[0]!.id;
      await waitForRun(target as TestApp, developer.token, runId, (run) => run.status === "running");
      const stream = await fetch(`${api.baseUrl}/api/v1/runs/${runId}/events`, {
        headers: { authorization: `Bearer ${developer.token}`, accept: "text/event-stream" },
      });
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) =>
        http
          .get(`${api.baseUrl}/api/v1/health`, { agent }, (res) => res.resume().on("end", resolve))
          .on("error", reject),
      );
      const inFlight = request(target, "POST", "/api/v1/mashups/test-slow/test", {
        token: developer.token,
        body: { from: "2025-05-01T00:00:00Z", to: "2025-06-01T00:00:00Z", params: { delayMs: 1_000 } },
      });
      await new Promise((resolve) => setTimeout(resolve, 200));

      const signalledAt = Date.now();
      api.child.kill("SIGTERM");
      const streamEndedAt = await readUntil(stream.body!, "event: shutdown");
      const answered = await inFlight;
      const { code, at: exitedAt } = await api.exited;

      expect(streamEndedAt - signalledAt).toBeLessThan(1_000);
      expect(answered.status).toBe(200);
      expect(code).toBe(0);
      expect(exitedAt - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
      expect(exitedAt - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 3_000);
      // The run in flight went back to the queue with its attempt, for another worker to finish.
      const stored = await app.deps.db.query("select status, attempts from runs where id = $1", [runId]);
      expect(stored.rows[0]).toEqual({ status: "queued", attempts: 0 });
      agent.destroy();
      // Not for the next API of this file to pick up.
      expect((await request(app, "DELETE", `/api/v1/runs/${runId}`, { token: developer.token })).status).toBe(200);
    } finally {
      if (api.child.exitCode === null) api.child.kill("SIGKILL");
    }
  }, 60_000);

  it("exits at once when nothing is in flight, even with an idle keep-alive connection", async () => {
    const api = await spawnApi(app, dataDir);
    try {
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) =>
        http
          .get(`${api.baseUrl}/api/v1/health`, { agent }, (res) => res.resume().on("end", resolve))
          .on("error", reject),
      );

      const signalledAt = Date.now();
      api.child.kill("SIGTERM");
      const { code, at } = await api.exited;

      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(2_000);
      agent.destroy();
    } finally {
      if (api.child.exitCode === null) api.child.kill("SIGKILL");
    }
  }, 60_000);
});

describe("an API stopping the embedded Node-RED that separate workers call", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("waits until no worker holds a run (or the deadline) before stopping it", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 1_500 },
    });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    await waitForRun(app, developer.token, runId, (run) => run.status === "running");

    const started = Date.now();
    const held = await waitWhileWorkersHoldRuns(app.deps, Date.now() + 10_000);
    const finished = await app.deps.db.query("select status from runs where id = $1", [runId]);

    expect(held).toBe(0);
    expect(finished.rows[0].status).toBe("succeeded");
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(await waitWhileWorkersHoldRuns(app.deps, Date.now() + 10_000)).toBe(0);
  }, 30_000);
});
