import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../src/engine.ts";
import { scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { createEvaluableControl, startRuns, waitForRun } from "../engine/engine-helpers.ts";

const DAY = 86_400_000;
const utcMidnight = (offsetDays: number) =>
  new Date(new Date(new Date().toISOString().slice(0, 10)).getTime() + offsetDays * DAY);

async function waitForRunsOf(app: TestApp, token: string, controlId: string, count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = (
      await request(app, "GET", `/api/v1/runs?controlId=${controlId}&pageSize=200&sort=windowStart`, { token })
    ).body;
    const finished = page.items.filter((run: { status: string }) => run.status === "succeeded");
    if (page.total === count && finished.length === count) return page.items;
    if (Date.now() > deadline)
      throw new Error(
        `expected ${count} finished runs, have ${JSON.stringify(page.items.map((run: { status: string }) => run.status))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the scheduler", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { SCHEDULER_MAX_CATCHUP: "3" } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("computes every closed window with nobody clicking, catches up what it missed, and never twice", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      startDate: utcMidnight(-5).toISOString(),
    });

    const first = await scheduleDueWindows(app.deps);
    expect(first.runIds.length).toBe(3); // the catch-up limit per tick, oldest first
    const second = await scheduleDueWindows(app.deps);
    expect(second.runIds.length).toBe(2);
    expect((await scheduleDueWindows(app.deps)).runIds.length).toBe(0);

    const runs = await waitForRunsOf(app, developer.token, control.id, 5);
    expect(runs.map((run: { windowStart: string }) => run.windowStart)).toEqual(
      [-5, -4, -3, -2, -1].map((offset) => utcMidnight(offset).toISOString()),
    );
    expect(
      runs.every(
        (run: { trigger: string; isProvisional: boolean }) => run.trigger === "schedule" && !run.isProvisional,
      ),
    ).toBe(true);

    // Three days of downtime later, the three windows that closed meanwhile are owed.
    app.setNow(new Date(Date.now() + 3 * DAY));
    expect((await scheduleDueWindows(app.deps)).runIds.length).toBe(3);
    app.setNow(undefined);
    await waitForRunsOf(app, developer.token, control.id, 8);
    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}&pageSize=50`, {
      token: developer.token,
    });
    expect(points.body.total).toBe(8);
    expect(
      (await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, { token: developer.token })).body
        .isIntact,
    ).toBe(true);
  });

  it("skips drafts and windows that already have a point", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      startDate: utcMidnight(-2).toISOString(),
    });
    await waitForRunsOf(app, developer.token, control.id, 0).catch(() => undefined);
    const manual = await startRuns(app, developer.token, control.id); // the latest closed window, by hand
    await waitForRun(app, developer.token, manual.runs[0]!.id, (run) => run.status === "succeeded");
    const scheduled = await scheduleDueWindows(app.deps);
    const mine = (
      await request(app, "GET", `/api/v1/runs?controlId=${control.id}&trigger=schedule`, { token: developer.token })
    ).body;
    expect(mine.total).toBe(1);
    expect(scheduled.runIds).toContain(mine.items[0].id);
    expect(mine.items[0].windowStart).toBe(utcMidnight(-2).toISOString());
  });

  it("backfills a past range on request", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      period: "MONTHLY",
    });
    const response = await request(app, "POST", `/api/v1/controls/${control.id}/backfill`, {
      token: developer.token,
      body: { from: "2025-01-01T00:00:00Z", to: "2025-04-01T00:00:00Z" },
    });
    expect(response.status).toBe(202);
    expect(response.body.batch).toMatchObject({ trigger: "backfill", runCount: 3 });
  });
});

describe("the registry collector protocol", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("answers 201 with a computation URL, 202 until ready, then 200 with the aggregate, and makes no engine point", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 400 },
    });
    const started = await request(app, "POST", "/api/v1/computations", {
      token: developer.token,
      body: {
        metric: {
          endpoint: "/test/slow",
          params: { controlId: control.id },
          scope: { team: "payments" },
          window: {
            type: "static",
            period: "monthly",
            initial: "2025-06-01T00:00:00.000Z",
            end: "2025-06-30T23:59:59.999Z",
            timeZone: "UTC",
          },
        },
        config: { backendUrl: "ignored" },
      },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      code: 201,
      message: "OK",
      computation: expect.stringMatching(/^\/api\/v1\/computations\/[0-9a-f-]{36}$/),
    });
    const first = await request(app, "GET", started.body.computation, { token: developer.token });
    expect(first.status).toBe(202);
    let ready = first;
    for (let attempt = 0; attempt < 100 && ready.status === 202; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await request(app, "GET", started.body.computation, { token: developer.token });
    }
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ code: 200, message: "OK" });
    expect(ready.body.computations).toEqual([
      expect.objectContaining({
        value: 100,
        scope: { team: "payments" },
        period: { from: "2025-06-01T00:00:00.000Z", to: "2025-06-30T23:59:59.999Z" },
      }),
    ]);
    expect(
      (await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token })).body.total,
    ).toBe(0);
  });

  it("refuses a collector call that names no control", async () => {
    const response = await request(app, "POST", "/api/v1/computations", {
      token: developer.token,
      body: { metric: { params: {}, window: { initial: "2025-06-01T00:00:00Z", end: "2025-06-02T00:00:00Z" } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe("body.metric.params.controlId");
  });
});

describe("a worker killed in the middle of a run", () => {
  let app: TestApp;
  let developer: TestUser;
  const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

  beforeAll(async () => {
    app = await startTestApp({ queue: "bullmq", env: { RUN_STALE_AFTER_MS: "1500", SCHEDULER_ENABLED: "false" } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("is resumed by another worker and leaves exactly one point", async () => {
    const nodeRed = sharedNodeRed();
    // node with tsx's loader, not the tsx CLI: the CLI runs the script in a child that a kill would leave running.
    const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: apiDir,
      env: {
        ...process.env,
        ...app.environment,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        RUN_STALE_AFTER_MS: "1500",
        SCHEDULER_ENABLED: "false",
        NODE_RED_URL: nodeRed.baseUrl,
        NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
        NODE_RED_SERVICE_USER: nodeRed.user,
        NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      },
      stdio: "ignore",
    });
    try {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-slow",
        params: { delayMs: 2500 },
      });
      const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
      await waitForRun(app, developer.token, runId, (run) => run.status === "running", 30_000);
      worker.kill("SIGKILL");

      const engine = startEngine(app.deps, { isWorker: true, isScheduler: true });
      try {
        const run = await waitForRun(
          app,
          developer.token,
          runId,
          (candidate) => candidate.status === "succeeded",
          40_000,
        );
        expect(run.attempts).toBe(2);
      } finally {
        await engine.stop();
      }
      const points = await app.deps.db.query("select count(*)::int as n from points where control_id = $1", [
        control.id,
      ]);
      expect(points.rows[0].n).toBe(1);
      const computations = await app.deps.db.query(
        "select count(*)::int as n from evidences e join computations c on c.id = e.computation_id where c.run_id = $1",
        [runId],
      );
      expect(computations.rows[0].n).toBeGreaterThan(0);
    } finally {
      worker.kill("SIGKILL");
    }
  }, 90_000);
});
