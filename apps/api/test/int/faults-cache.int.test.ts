import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startPrivateRedis, type PrivateRedis } from "../faults/private-redis.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn, postLogin, postRefresh } from "../user-factory.ts";
import { createEvaluableControl, waitForBatch } from "../engine/engine-helpers.ts";

/**
 * The cache and the queue on a Redis of the test's own, stopped and started again empty (no persistence): sessions
 * live in Postgres, so nobody is signed out and signing in or refreshing works during the outage; creating runs
 * answers at once and the runs are delivered once Redis is back.
 */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe("a cache outage", () => {
  let redis: PrivateRedis;
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    app = await startTestApp({
      redisUrl: redis.url,
      queue: "bullmq",
      engine: { isWorker: true, isScheduler: false },
      env: { DEPENDENCY_TIMEOUT_MS: "2000" },
    });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await app?.close();
    await redis?.close();
  });

  it("keeps sign-in, refresh and session reads working through the database while Redis is down", async () => {
    const user = await buildUser(app);
    const before = await logIn(app, user);
    // Signing in hashes the password, which takes what it takes on this machine: the outage may add nothing to it.
    const usualLogin = await timed(() => postLogin(app, user.username, user.password));
    await redis.stop();
    try {
      const me = await timed(() => getMe(app, before.accessToken));
      const login = await timed(() => postLogin(app, user.username, user.password));
      const refresh = await timed(() => postRefresh(app, before.refreshToken));
      const wrongPassword = await postLogin(app, user.username, "not the password");

      expect(me.result.status).toBe(200);
      expect(login.result.status).toBe(200);
      expect(refresh.result.status).toBe(200);
      expect(wrongPassword.status).toBe(401);
      for (const { ms } of [me, refresh]) expect(ms).toBeLessThan(1_000);
      expect(login.ms).toBeLessThan(usualLogin.ms + 1_000);
    } finally {
      await redis.start();
    }
    // Redis came back empty: the session is in Postgres, so nobody was signed out.
    expect((await getMe(app, before.accessToken)).status).toBe(200);
  });

  it("still limits failed sign-ins while Redis is down", async () => {
    const user = await buildUser(app);
    await redis.stop();
    try {
      const answers = [];
      for (let attempt = 0; attempt <= app.config.auth.login.maxFailures; attempt += 1)
        answers.push((await postLogin(app, user.username, "wrong")).status);

      expect(answers.at(-1)).toBe(429);
    } finally {
      await redis.start();
    }
  });

  it("creates runs at once while Redis is down and delivers them once it is back", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await redis.stop();
    let batchId: string;
    try {
      const created = await timed(() =>
        request(app, "POST", `/api/v1/controls/${control.id}/runs`, {
          token: developer.token,
          body: { from: "2025-02-01T00:00:00Z", to: "2025-02-04T00:00:00Z" },
        }),
      );

      expect(created.result.status).toBe(202);
      expect(created.ms).toBeLessThan(1_000);
      batchId = created.result.body.batch.id;
      const stored = await app.deps.db.query("select status from runs where batch_id = $1", [batchId]);
      expect(stored.rows.map((row) => row.status)).toEqual(["queued", "queued", "queued"]);
    } finally {
      await redis.start();
    }
    const { batch, runs } = await waitForBatch(app, developer.token, batchId, 20_000);
    expect(batch.counts.succeeded).toBe(3);
    expect(runs.every((run) => run.attempts === 1)).toBe(true);
  });
});
