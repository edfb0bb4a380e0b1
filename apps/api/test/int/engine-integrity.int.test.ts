import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient, type NodeRedClient } from "../../src/node-red/node-red-client.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { createEvaluableControl, startRuns, waitForBatch, waitForRun } from "../engine/engine-helpers.ts";
import { lockChainHeads } from "../../src/modules/points/index.ts";

describe("point chain verification", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function controlWithPoints(count: number) {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-fail", threshold: 50 });
    const today = new Date(new Date().toISOString().slice(0, 10));
    const to = new Date(today.getTime() - 86_400_000);
    const from = new Date(to.getTime() - 86_400_000 * count);
    await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id, { from: from.toISOString(), to: to.toISOString() })).batch.id,
    );
    const points = (
      await request(app, "GET", `/api/v1/points?controlId=${control.id}&sort=windowStart`, { token: developer.token })
    ).body.items;
    expect(points.length).toBe(count);
    return { control, points };
  }

  const verify = async (controlId: string) =>
    (await request(app, "GET", `/api/v1/controls/${controlId}/points/verify`, { token: developer.token })).body;

  it("reports an intact chain of several points", async () => {
    const { control } = await controlWithPoints(4);
    expect(await verify(control.id)).toMatchObject({ isIntact: true, pointCount: 4, firstBrokenPointId: null });
  });

  it("lets runs be created for a control while its chain is locked for an append", async () => {
    const { control } = await controlWithPoints(1);
    const appender = await app.deps.db.connect();
    const creator = await app.deps.db.connect();
    try {
      await appender.query("begin");
      const heads = await lockChainHeads(appender, [control.id]);
      expect(heads.get(control.id)?.length).toBe(1);
      // The run's foreign key to its control takes a key-share lock, which the chain lock must not block.
      await creator.query("begin");
      await creator.query("set local lock_timeout = '2s'");
      const inserted = await creator.query(
        `insert into runs (control_id, scope, scope_key, window_start, window_end, is_provisional, trigger,
                           max_attempts)
         values ($1, '{}', '', '2020-01-01', '2020-01-02', false, 'manual', 1) returning id`,
        [control.id],
      );
      expect(inserted.rowCount).toBe(1);
      // Another appender still waits for the chain.
      await expect(
        creator.query("select id from controls where id = $1 for no key update nowait", [control.id]),
      ).rejects.toThrow(/could not obtain lock/);
    } finally {
      await creator.query("rollback").catch(() => undefined);
      await appender.query("rollback");
      creator.release();
      appender.release();
    }
  });

  it("detects a point whose value was edited in the database", async () => {
    const { control, points } = await controlWithPoints(3);
    await app.deps.db.query("update points set value = 100, result = 'pass' where id = $1", [points[1].id]);
    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: points[1].id,
      problem: expect.stringContaining("edited"),
    });
  });

  const chainOrder = async (controlId: string) =>
    (
      await app.deps.db.query<{ id: string }>("select id from points where control_id = $1 order by seq", [controlId])
    ).rows.map((row) => row.id);

  it("detects a point removed from the middle of the chain", async () => {
    const { control } = await controlWithPoints(3);
    const chain = await chainOrder(control.id);
    await app.deps.db.query("delete from points where id = $1", [chain[1]]);
    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: chain[2],
      problem: expect.stringContaining("removed"),
    });
  });

  it("detects the newest point removed", async () => {
    const { control } = await controlWithPoints(3);
    const chain = await chainOrder(control.id);
    await app.deps.db.query("delete from points where id = $1", [chain[2]]);
    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      problem: expect.stringContaining("newest points were removed"),
    });
  });

  it("detects evidence changed behind a point", async () => {
    const { control, points } = await controlWithPoints(2);
    await app.deps.db.query("update evidences set result = 'pass' where computation_id = $1", [
      points[0].computationId,
    ]);
    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: points[0].id,
      problem: expect.stringContaining("evidence"),
    });
  });
});

describe("cancelling runs", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { MASHUP_TIMEOUT_MS: "10000" } });
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  it("cancels a running run and discards its result; a finished run answers 409", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 1500 },
    });
    const created = await startRuns(app, developer.token, control.id);
    const runId = created.runs[0]!.id;
    await waitForRun(app, developer.token, runId, (run) => run.status === "running");
    const forbidden = await request(app, "DELETE", `/api/v1/runs/${runId}`, { token: user.token });
    expectProblem(forbidden, 403, "forbidden");
    const cancelled = await request(app, "DELETE", `/api/v1/runs/${runId}`, { token: developer.token });
    expect(cancelled.body).toMatchObject({ status: "cancelled" });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await request(app, "GET", `/api/v1/runs/${runId}`, { token: developer.token })).body.status).toBe(
      "cancelled",
    );
    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token });
    expect(points.body.total).toBe(0);
    expectProblem(
      await request(app, "DELETE", `/api/v1/runs/${runId}`, { token: developer.token }),
      409,
      "run_finished",
    );
  });

  it("streams a run's progress as Server-Sent Events until it finishes", async () => {
    const { control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 700 },
    });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    const response = await fetch(`${app.baseUrl}/api/v1/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${developer.token}` },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    const events = text
      .split("\n\n")
      .filter((chunk) => chunk.startsWith("event: run"))
      .map((chunk) => JSON.parse(chunk.split("\ndata: ")[1]!));
    expect(events.at(-1)).toMatchObject({ run: { status: "succeeded" }, progress: 1 });
    expect(events.some((event) => event.run.status === "running" && event.progress === 0.5)).toBe(true);
  });
});

describe("when Node-RED is down", () => {
  let app: TestApp;
  let developer: TestUser;
  let isDown = true;

  beforeAll(async () => {
    const real = createNodeRedClient(sharedNodeRed());
    const dead = createNodeRedClient({ ...sharedNodeRed(), baseUrl: "http://127.0.0.1:9" });
    // The same client switches from a closed port to the real Node-RED, as a restarted Node-RED would come back.
    const switching: NodeRedClient = {
      get baseUrl() {
        return isDown ? dead.baseUrl : real.baseUrl;
      },
      invokeMashup: (call) => (isDown ? dead : real).invokeMashup(call),
      listFlows: () => (isDown ? dead : real).listFlows(),
      ping: () => (isDown ? dead : real).ping(),
      adminToken: () => (isDown ? dead : real).adminToken(),
    };
    app = await startTestApp({
      nodeRed: switching,
      engine: { isWorker: true, isScheduler: false },
      env: { RUN_MAX_ATTEMPTS: "4", RUN_RETRY_BASE_MS: "300", NODE_RED_WAIT_MAX_MS: "3000" },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  it("waits without using its attempts, and succeeds once Node-RED is back", async () => {
    isDown = true;
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    const waiting = await waitForRun(
      app,
      developer.token,
      runId,
      (run) => run.status === "queued" && run.error !== null,
    );
    expect(waiting.error).toMatch(/unreachable|Node-RED/);
    expect(waiting.attempts).toBe(0);
    isDown = false;
    const done = await waitForRun(app, developer.token, runId, (run) => run.status === "succeeded", 15_000);
    expect(done.attempts).toBe(1);
    expect(
      (await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token })).body.total,
    ).toBe(1);
  });

  it("ends in error, with the reason, when Node-RED stays down past NODE_RED_WAIT_MAX_MS", async () => {
    isDown = true;
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
    const run = await waitForRun(app, developer.token, runId, (candidate) => candidate.status === "error", 20_000);
    expect(run.attempts).toBe(1);
    expect(run.error).toMatch(/Node-RED stayed unavailable for \d+ s: .*unreachable/);
  });
});
