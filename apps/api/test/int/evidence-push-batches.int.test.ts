import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/database.ts";
import { evidenceDigest, normalizeEvidences } from "../../src/domain/evaluation.ts";
import { readPushTargetStamp, type PushSubmission } from "../../src/modules/evaluation/index.ts";
import { storePushSubmission } from "../../src/modules/evidence-push/push-submission-batches.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const TTL_HOURS = 24;

/**
 * Issue 20: submissions to open windows that arrive in one turn of the event loop are stored by one statement, each
 * with its own outcome, in the order they arrived, and one the database refuses fails alone.
 */
describe("push controls: submissions stored in batches", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await app?.close();
  });

  async function pushControl(): Promise<string> {
    const draft = await createCatalogVia(app, developer.token, { startDate: "2026-11-01T00:00:00Z" });
    const control = await createControlVia(app, developer.token, draft.id, {
      kind: "push",
      mashupId: null,
      period: "DAILY",
      threshold: 40,
    });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status).toBe(200);
    return control.id;
  }

  /** The pool, counting the statements sent through it (a batcher of its own: one per pool). */
  function countingPool(): { db: Queryable; statements: () => number } {
    let statements = 0;
    const db: Queryable = {
      query: (text, values) => {
        statements += 1;
        return app.deps.db.query(text as string, values);
      },
    };
    return { db, statements: () => statements };
  }

  async function submission(controlId: string, changes: Partial<PushSubmission> = {}): Promise<PushSubmission> {
    const evidences = normalizeEvidences([{ key: "scanner", value: { ok: true }, result: "pass" }]);
    return {
      run: {
        controlId,
        scopeSetId: null,
        scope: {},
        scopeKey: "{}",
        windowStart: "2026-11-06T00:00:00.000Z",
        windowEnd: "2026-11-07T00:00:00.000Z",
        isProvisional: true,
        requestedBy: developer.id,
      },
      computationId: randomUUID(),
      flowValue: null,
      counts: { pass: 1, fail: 0, error: 0, not_applicable: 0 },
      compliance: 100,
      result: "pass",
      evidenceDigest: evidenceDigest(evidences),
      controlVersion: 1,
      evidences,
      stamp: (await readPushTargetStamp(app.deps.db, controlId))!,
      ...changes,
    };
  }

  async function storedComputations(controlId: string): Promise<string[]> {
    const { rows } = await app.deps.db.query<{ id: string }>(
      "select id from computations where control_id = $1 order by created_at, id",
      [controlId],
    );
    return rows.map((row) => row.id);
  }

  it("stores one turn's submissions in one statement, each with its own outcome, in the order they came", async () => {
    const [first, second] = [await pushControl(), await pushControl()];
    const submissions = [
      await submission(first),
      await submission(second, { flowValue: "from the second" }),
      await submission(first, { stamp: "read before a change" }),
      await submission(first),
      await submission(first),
    ];
    const pool = countingPool();

    const outcomes = await Promise.all(submissions.map((each) => storePushSubmission(pool.db, each, TTL_HOURS)));

    expect(outcomes).toEqual(["stored", "stored", "stale", "stored", "stored"]);
    expect(pool.statements()).toBe(1);
    // Received in this order, so created a moment apart in this order (the last one received decides a window).
    expect(await storedComputations(first)).toEqual([0, 3, 4].map((index) => submissions[index]!.computationId));
    const { rows } = await app.deps.db.query(
      `select c.flow_value, c.evidence_count, c.pass_count, c.compliance::float8 as compliance, c.result,
              (select count(*)::int from evidences e where e.computation_id = c.id) as evidences
         from computations c where c.control_id = $1`,
      [second],
    );
    expect(rows).toEqual([
      {
        flow_value: "from the second",
        evidence_count: 1,
        pass_count: 1,
        compliance: 100,
        result: "pass",
        evidences: 1,
      },
    ]);
  });

  it("sends a key that is already in the batch with the next one, where it is found taken", async () => {
    const controlId = await pushControl();
    const key = { ownerKey: `user:${developer.id}`, idempotencyKey: randomUUID(), bodyDigest: "digest", answer: {} };
    const submissions = [
      await submission(controlId, { idempotency: key }),
      await submission(controlId, { idempotency: key }),
      await submission(controlId),
    ];
    const pool = countingPool();

    const outcomes = await Promise.all(submissions.map((each) => storePushSubmission(pool.db, each, TTL_HOURS)));

    expect(outcomes).toEqual(["stored", "key_taken", "stored"]);
    expect(pool.statements()).toBe(2);
    const keys = await app.deps.db.query("select computation_id from evidence_push_keys where idempotency_key = $1", [
      key.idempotencyKey,
    ]);
    expect(keys.rows).toEqual([{ computation_id: submissions[0]!.computationId }]);
  });

  it("keeps a batch within 10,000 evidences: larger submissions go in batches of their own", async () => {
    const controlId = await pushControl();
    const many = normalizeEvidences(
      Array.from({ length: 6_000 }, (_, index) => ({ key: `check-${index}`, result: "pass" as const })),
    );
    const submissions = [
      await submission(controlId, { evidences: many }),
      await submission(controlId, { evidences: many }),
      await submission(controlId),
    ];
    const pool = countingPool();

    const outcomes = await Promise.all(submissions.map((each) => storePushSubmission(pool.db, each, TTL_HOURS)));

    expect(outcomes).toEqual(["stored", "stored", "stored"]);
    expect(pool.statements()).toBe(2);
    expect((await storedComputations(controlId)).sort()).toEqual(submissions.map((each) => each.computationId).sort());
    const stored = await app.deps.db.query(
      `select count(*)::int as n
         from evidences e join computations c on c.id = e.computation_id where c.control_id = $1`,
      [controlId],
    );
    expect(stored.rows[0].n).toBe(12_001);
  });

  it("stores the others when the database refuses one submission of a batch, which fails alone", async () => {
    const controlId = await pushControl();
    const submissions = [
      await submission(controlId),
      await submission(controlId, { controlVersion: 99 }),
      await submission(controlId),
    ];
    const pool = countingPool();

    const settled = await Promise.allSettled(submissions.map((each) => storePushSubmission(pool.db, each, TTL_HOURS)));

    expect(settled.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: "23503" });
    // The batch, then each submission alone.
    expect(pool.statements()).toBe(4);
    expect((await storedComputations(controlId)).sort()).toEqual(
      [submissions[0]!.computationId, submissions[2]!.computationId].sort(),
    );
  });
});
