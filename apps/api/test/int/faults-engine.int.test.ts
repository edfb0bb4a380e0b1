import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../src/engine.ts";
import { signInAs, type TestUser } from "../http-client.ts";
import { startTcpProxy, type TcpProxy } from "../faults/tcp-proxy.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { createEvaluableControl, startRuns, waitForRun } from "../engine/engine-helpers.ts";

/**
 * Fast recovery of runs: a worker killed with kill -9 has its runs taken back within the lease (RUN_STALE_AFTER_MS,
 * 15 s by default, renewed every quarter of it); a worker that loses the database lets go of its runs; a run whose
 * database work failed for a moment is requeued at once. Each leaves exactly one point.
 */
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pointCount(app: TestApp, controlId: string): Promise<number> {
  const result = await app.deps.db.query<{ n: number }>("select count(*)::int as n from points where control_id = $1", [
    controlId,
  ]);
  return result.rows[0]!.n;
}

describe("a worker killed with kill -9, with the default lease", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ queue: "bullmq", env: { SCHEDULER_ENABLED: "false" } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("has its run taken back within the lease and a reaper tick, and finished once", async () => {
    const nodeRed = sharedNodeRed();
    const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: apiDir,
      env: {
        ...process.env,
        ...app.environment,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        SCHEDULER_ENABLED: "false",
        NODE_RED_URL: nodeRed.baseUrl,
        NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
        NODE_RED_SERVICE_USER: nodeRed.user,
        NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      },
      stdio: "ignore",
    });
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 4000 },
    });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    await waitForRun(app, developer.token, runId, (run) => run.status === "running", 30_000);
    worker.kill("SIGKILL");
    const killedAt = Date.now();

    const engine = startEngine(app.deps, { isWorker: true, isScheduler: true });
    try {
      await waitForRun(app, developer.token, runId, (run) => run.attempts === 2, 40_000);
      const takenBackMs = Date.now() - killedAt;
      const run = await waitForRun(app, developer.token, runId, (candidate) => candidate.status === "succeeded");

      expect(takenBackMs).toBeLessThan(app.config.engine.staleAfterMs + 7_000);
      expect(run.attempts).toBe(2);
    } finally {
      await engine.stop();
    }
    expect(await pointCount(app, control.id)).toBe(1);
  }, 60_000);
});

describe("runs and a database that goes away under them", () => {
  let proxy: TcpProxy;
  let app: TestApp | undefined;
  afterEach(async () => {
    await proxy?.restore();
    await app?.close();
    await proxy?.close();
    app = undefined;
  });

  async function startBehindProxy(env: Record<string, string>): Promise<TestApp> {
    return startTestApp({
      wrapDatabaseUrl: async (url) => {
        const target = new URL(url);
        proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
        return proxy.urlFor(url);
      },
      engine: { isWorker: true, isScheduler: true },
      env: { SCHEDULER_ENABLED: "false", DEPENDENCY_TIMEOUT_MS: "1000", ...env },
    });
  }

  it("requeues at once, with its attempt, a run whose database work failed for a moment", async () => {
    app = await startBehindProxy({});
    const developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 1000 },
    });
    const started = Date.now();
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    await waitForRun(app, developer.token, runId, (run) => run.status === "running");

    // Down while the mashup answers: storing the result fails.
    await sleep(300);
    await proxy.cut();
    await sleep(1_500);
    await proxy.restore();
    const run = await waitForRun(app, developer.token, runId, (candidate) => candidate.status === "succeeded", 20_000);

    // Long before the lease (15 s) could have run out: the run was handed back, not left to the reaper.
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(run.attempts).toBe(1);
    expect(await pointCount(app, control.id)).toBe(1);
  }, 40_000);

  it("lets go of a run whose lease it cannot renew; the run is taken back and finished once", async () => {
    app = await startBehindProxy({ RUN_STALE_AFTER_MS: "2000" });
    const developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 3000 },
    });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    await waitForRun(app, developer.token, runId, (run) => run.status === "running");

    await proxy.cut();
    await sleep(3_000);
    await proxy.restore();
    const run = await waitForRun(app, developer.token, runId, (candidate) => candidate.status === "succeeded", 20_000);

    // The first attempt was abandoned when its lease ran out (nothing of it written), and the reaper's claim counted.
    expect(run.attempts).toBe(2);
    expect(await pointCount(app, control.id)).toBe(1);
  }, 40_000);
});
