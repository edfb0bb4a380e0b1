import { ComputationDetailSchema, RetentionSchema, type Retention } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneExpiredRecords } from "../../src/modules/retention/index.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/** Retention: ADMIN sets periods per category; a daily job prunes in batches, audits it, keeps chains verifiable. */
describe("retention", () => {
  let app: TestApp;
  let admin: TestUser;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    admin = await signInAs(app, "ADMIN");
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  /** The app's dependencies with the clock `days` ahead, for the pruner only (the test users stay signed in). */
  const later = (days: number) => ({ ...app.deps, now: () => new Date(Date.now() + days * DAY_MS) });

  const getRetention = async (): Promise<Retention> =>
    RetentionSchema.parse((await request(app, "GET", "/api/v1/retention", { token: admin.token })).body);

  const setRetention = (body: Record<string, unknown>) =>
    request(app, "PATCH", "/api/v1/retention", { token: admin.token, body });

  async function controlWithPoints(count: number) {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-fail", threshold: 50 });
    const to = new Date(new Date().toISOString().slice(0, 10)).getTime() - DAY_MS;
    const from = to - DAY_MS * count;
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (
        await startRuns(app, developer.token, control.id, {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
        })
      ).batch.id,
    );
    const points = (
      await request(app, "GET", `/api/v1/points?controlId=${control.id}&sort=windowStart`, { token: developer.token })
    ).body.items as { id: string; computationId: string }[];
    expect(points).toHaveLength(count);
    return { control, points, runs };
  }

  const verify = async (controlId: string) =>
    (await request(app, "GET", `/api/v1/controls/${controlId}/points/verify`, { token: developer.token })).body;

  const evidenceCount = async (computationIds: string[]) =>
    (
      await app.deps.db.query("select count(*)::int as count from evidences where computation_id = any($1::uuid[])", [
        computationIds,
      ])
    ).rows[0].count as number;

  it("answers each category's period (defaults: points and the audit log forever, run detail 400 days), rows and size", async () => {
    const retention = await getRetention();

    const byCategory = Object.fromEntries(retention.categories.map((category) => [category.category, category]));
    expect(Object.keys(byCategory)).toEqual([
      "runs",
      "computation_detail",
      "audit_log",
      "conversations",
      "sessions",
      "evidence_packs",
      "event_outbox",
      "import_jobs",
      "points",
    ]);
    expect(byCategory.points).toMatchObject({ keepDays: null, isEditable: false });
    expect(byCategory.audit_log).toMatchObject({ keepDays: null, defaultKeepDays: null, isEditable: true });
    expect(byCategory.runs).toMatchObject({ keepDays: 400, defaultKeepDays: 400 });
    expect(byCategory.computation_detail).toMatchObject({ keepDays: 400, rowLabel: "evidences" });
    expect(byCategory.sessions).toMatchObject({ keepDays: 90 });
    const sessions = await app.deps.db.query("select count(*)::int as count from sessions");
    expect(byCategory.sessions!.rowCount).toBe(sessions.rows[0].count);
    expect(byCategory.sessions!.isRowCountEstimated).toBe(false);
    const size = await app.deps.db.query(
      "select (pg_total_relation_size('sessions') + pg_total_relation_size('session_refresh_tokens'))::bigint as size",
    );
    expect(byCategory.sessions!.sizeBytes).toBe(Number(size.rows[0].size));
    expect(byCategory.audit_log!.sizeBytes).toBeGreaterThan(0);
  });

  it("lets ADMIN change periods (forever allowed), audits the change, and refuses periods below a category's minimum", async () => {
    const changed = await setRetention({ conversations: 30, sessions: null });

    expect(changed.status).toBe(200);
    const body = RetentionSchema.parse(changed.body);
    expect(body.categories.find((category) => category.category === "conversations")).toMatchObject({
      keepDays: 30,
      updatedAt: expect.any(String),
    });
    expect(body.categories.find((category) => category.category === "sessions")?.keepDays).toBeNull();
    const audit = await app.deps.db.query(
      "select actor_id, action, before, after from audit_log where resource_type = 'retention' and action = 'update' order by id desc limit 1",
    );
    expect(audit.rows[0]).toMatchObject({
      actor_id: admin.id,
      before: { conversations: null, sessions: 90 },
      after: { conversations: 30, sessions: null, runs: 400 },
    });

    const tooShort = expectProblem(await setRetention({ audit_log: 30, runs: 0 }), 400, "validation_failed");
    expect(tooShort.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "body.audit_log",
      "body.runs",
    ]);
    expectProblem(await setRetention({ points: 10 }), 400, "validation_failed");
    expectProblem(await setRetention({}), 400, "validation_failed");
    expectProblem(
      await request(app, "PATCH", "/api/v1/retention", { token: developer.token, body: { runs: 100 } }),
      403,
      "forbidden",
    );
    await setRetention({ sessions: 90 });
  });

  it("prunes expired evidences but keeps computations' digests and points, so the chain still verifies", async () => {
    const { control, points, runs } = await controlWithPoints(3);
    const computationIds = points.map((point) => point.computationId);
    expect(await evidenceCount(computationIds)).toBeGreaterThan(0);

    const outcome = await pruneExpiredRecords(later(401), { force: true });

    expect(outcome).toMatchObject({ status: "pruned", pruned: { evidences: expect.any(Number) } });
    expect(await evidenceCount(computationIds)).toBe(0);
    const computations = await app.deps.db.query(
      "select detail_pruned_at, evidence_digest, flow_value, evidence_count from computations where id = any($1::uuid[])",
      [computationIds],
    );
    for (const row of computations.rows) {
      expect(row.detail_pruned_at).not.toBeNull();
      expect(row.evidence_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(row.flow_value).toBeNull();
      expect(row.evidence_count).toBeGreaterThan(0);
    }
    const kept = await app.deps.db.query("select count(*)::int as count from runs where id = any($1::uuid[])", [
      runs.map((run) => run.id),
    ]);
    expect(kept.rows[0].count).toBe(3);
    expect(await verify(control.id)).toMatchObject({ isIntact: true, pointCount: 3, problem: null });
    const detail = await request(app, "GET", `/api/v1/computations/${computationIds[0]}`, { token: developer.token });
    expect(ComputationDetailSchema.parse(detail.body)).toMatchObject({
      detailPrunedAt: expect.any(String),
      evidences: [],
      evidenceCount: expect.any(Number),
    });
    expect(ComputationDetailSchema.parse(detail.body).evidenceCount).toBeGreaterThan(0);
    const audit = await app.deps.db.query(
      "select actor_id, action, after from audit_log where resource_type = 'retention' and action = 'delete' order by id desc limit 1",
    );
    expect(audit.rows[0]).toMatchObject({
      actor_id: null,
      after: { pruned: outcome.status === "pruned" ? outcome.pruned : {}, keepDays: { computation_detail: 400 } },
    });
    expect((await getRetention()).lastRun).toMatchObject({
      finishedAt: expect.any(String),
      pruned: outcome.status === "pruned" ? outcome.pruned : {},
    });
  });

  it("still detects tampering after pruning: evidence stored again, or the kept digest changed", async () => {
    const { control, points } = await controlWithPoints(2);
    await pruneExpiredRecords(later(401), { force: true });
    expect(await verify(control.id)).toMatchObject({ isIntact: true });

    await app.deps.db.query(
      "insert into evidences (computation_id, position, key, value, result) values ($1, 0, 'forged', 'null', 'pass')",
      [points[0]!.computationId],
    );
    expect(await verify(control.id)).toMatchObject({ isIntact: false, firstBrokenPointId: points[0]!.id });
    await app.deps.db.query("delete from evidences where computation_id = $1", [points[0]!.computationId]);
    await app.deps.db.query("update computations set evidence_digest = repeat('0', 64) where id = $1", [
      points[1]!.computationId,
    ]);
    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: points[1]!.id,
      problem: expect.stringContaining("digest"),
    });
  });

  it("detects evidences deleted outside retention (no pruning recorded)", async () => {
    const { control, points } = await controlWithPoints(2);

    await app.deps.db.query("delete from evidences where computation_id = $1", [points[1]!.computationId]);

    expect(await verify(control.id)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: points[1]!.id,
      problem: expect.stringContaining("evidence"),
    });
  });

  it("deletes expired runs that back no point (with their computations), never those a point names", async () => {
    const { control: failing } = await createEvaluableControl(app, developer.token, { mashupId: "test-malformed" });
    const failed = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, failing.id)).batch.id,
    );
    const { control, points, runs } = await controlWithPoints(1);
    // A re-run of a window that has its point: its computation is not the one the point names.
    const rerun = await waitForBatch(
      app,
      developer.token,
      (
        await startRuns(app, developer.token, control.id, {
          from: runs[0]!.windowStart,
          to: runs[0]!.windowEnd,
        })
      ).batch.id,
    );
    const failedIds = failed.runs.map((run) => run.id);
    const rerunIds = rerun.runs.map((run) => run.id);

    const outcome = await pruneExpiredRecords(later(401), { force: true });

    expect(outcome).toMatchObject({ status: "pruned", pruned: { runs: expect.any(Number) } });
    const remaining = await app.deps.db.query("select id from runs where id = any($1::uuid[])", [
      [...failedIds, ...rerunIds, runs[0]!.id],
    ]);
    expect(remaining.rows.map((row) => row.id)).toEqual([runs[0]!.id]);
    const computations = await app.deps.db.query(
      "select count(*)::int as count from computations where run_id = any($1::uuid[])",
      [[...failedIds, ...rerunIds]],
    );
    expect(computations.rows[0].count).toBe(0);
    expect(await verify(control.id)).toMatchObject({ isIntact: true, pointCount: points.length });
  });

  it("prunes in batches until nothing expired is left", async () => {
    const { points } = await controlWithPoints(5);
    await app.deps.db.query("update computations set detail_pruned_at = null where id = any($1::uuid[])", [
      points.map((point) => point.computationId),
    ]);

    const outcome = await pruneExpiredRecords(later(401), { force: true, batchSize: 2 });

    expect(outcome.status).toBe("pruned");
    const left = await app.deps.db.query(
      "select count(*)::int as count from computations where completed_at < $1 and detail_pruned_at is null",
      [new Date(Date.now() - 1000)],
    );
    expect(left.rows[0].count).toBe(0);
  });

  it("lets one process prune at a time, and at most once a day", async () => {
    const [first, second] = await Promise.all([
      pruneExpiredRecords(later(401), { force: true }),
      pruneExpiredRecords(later(401), { force: true }),
    ]);

    expect([first.status, second.status].sort()).toEqual(["pruned", "skipped"]);
    expect([first, second].find((outcome) => outcome.status === "skipped")).toEqual({
      status: "skipped",
      reason: "running_elsewhere",
    });
    expect(await pruneExpiredRecords(later(401.5))).toEqual({ status: "skipped", reason: "not_due" });
    expect((await pruneExpiredRecords(later(402.5))).status).toBe("pruned");
  });

  it("keeps the audit log forever by default; with a period, prunes only older rows, through the one allowed path", async () => {
    const old = new Date(Date.now() - 800 * DAY_MS);
    const recent = new Date(Date.now() - 300 * DAY_MS);
    const marker = `retention-${uniqueSuffix()}`;
    await app.deps.db.query(
      `insert into audit_log (at, action, resource_type, resource_id) values ($1, 'create', 'catalog', $3), ($2, 'create', 'catalog', $3)`,
      [old, recent, marker],
    );
    const markerRows = async () =>
      (await app.deps.db.query("select at from audit_log where resource_id = $1 order by at", [marker])).rows.length;

    await pruneExpiredRecords(later(2), { force: true });
    expect(await markerRows()).toBe(2);

    expect((await setRetention({ audit_log: 365 })).status).toBe(200);
    await expect(app.deps.db.query("delete from audit_log where resource_id = $1", [marker])).rejects.toThrow(
      /append-only/,
    );
    const outcome = await pruneExpiredRecords(app.deps, { force: true });

    expect(outcome).toMatchObject({ status: "pruned", pruned: { audit_entries: expect.any(Number) } });
    expect(await markerRows()).toBe(1);
    // Even with the setting the trigger honours, a row younger than the period cannot go, and no row can change.
    await expect(
      app.deps.db.query(
        `do $$ begin perform set_config('status.audit_log_prune', 'on', true);
           delete from audit_log where at > now() - interval '364 days'; end $$`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      app.deps.db.query("update audit_log set actor_name = 'x' where resource_id = $1", [marker]),
    ).rejects.toThrow(/append-only/);
    const recorded = await app.deps.db.query(
      "select after from audit_log where resource_type = 'retention' and action = 'delete' order by id desc limit 1",
    );
    expect(recorded.rows[0].after.pruned.audit_entries).toBeGreaterThanOrEqual(1);
    await setRetention({ audit_log: null });
  });

  it("prunes conversations idle longer than their period, with their messages, and ended sessions", async () => {
    const assistant = await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: { name: `Retention ${uniqueSuffix()}` },
    });
    const user = await signInAs(app, "USER");
    const idle = await request(app, "POST", `/api/v1/assistants/${assistant.body.id}/conversations`, {
      token: user.token,
      body: { title: "Idle" },
    });
    const active = await request(app, "POST", `/api/v1/assistants/${assistant.body.id}/conversations`, {
      token: user.token,
      body: { title: "Active" },
    });
    await app.deps.db.query("update conversations set updated_at = $2 where id = $1", [
      idle.body.id,
      new Date(Date.now() - 40 * DAY_MS),
    ]);
    const ended = await app.deps.db.query(
      `update sessions set revoked_at = $2, revoke_reason = 'logout' where id =
         (select id from sessions where user_id = $1 order by created_at limit 1) returning id`,
      [user.id, new Date(Date.now() - 100 * DAY_MS)],
    );
    expect((await setRetention({ conversations: 30 })).status).toBe(200);

    const outcome = await pruneExpiredRecords(later(2), { force: true });

    expect(outcome).toMatchObject({ pruned: { conversations: 1, sessions: 1 } });
    const left = await app.deps.db.query("select id from conversations where id = any($1::uuid[])", [
      [idle.body.id, active.body.id],
    ]);
    expect(left.rows).toEqual([{ id: active.body.id }]);
    const sessions = await app.deps.db.query("select id from sessions where id = $1", [ended.rows[0].id]);
    expect(sessions.rows).toEqual([]);
    await setRetention({ conversations: null });
  });
});

describe("the daily pruning in the engine", () => {
  it("runs from the engine's tick without anyone asking", async () => {
    const app = await startTestApp({
      engine: { isWorker: false, isScheduler: true },
      env: { SCHEDULER_ENABLED: "false" },
    });
    try {
      const deadline = Date.now() + 10_000;
      let job: { last_started_at: string | null; last_finished_at: string | null } | undefined;
      while (Date.now() < deadline) {
        job = (await app.deps.db.query("select last_started_at, last_finished_at from retention_job")).rows[0];
        if (job?.last_finished_at) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(job).toMatchObject({ last_started_at: expect.any(String), last_finished_at: expect.any(String) });
    } finally {
      await app.close();
    }
  });
});
