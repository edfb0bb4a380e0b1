import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeComputationResults } from "../../src/modules/evaluation/results/run-results.repository.ts";
import { deleteRunsOfControls, insertRuns } from "../../src/modules/evaluation/runs/runs.repository.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/**
 * Computations and evidences carry no foreign key to their parents (migration 0100): each is written by its parent's
 * statement. These check that no path leaves one without its parent: the store refuses a computation it cannot find,
 * and deleting or truncating runs takes their computations and evidences along, as the cascades did.
 */
describe("computations and evidences without parent checks", () => {
  let app: TestApp;
  let controlId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const developer = await signInAs(app, "DEVELOPER");
    const catalog = await createCatalogVia(app, developer.token);
    controlId = (await createControlVia(app, developer.token, catalog.id)).id;
  });
  afterAll(() => app?.close());

  const count = async (sql: string, values: unknown[]) =>
    (await app.deps.db.query<{ n: number }>(sql, values)).rows[0]!.n;

  /** Queued runs of the control, each with its pending computation (the statement under test writes both). */
  async function createRuns(
    count: number,
    offsetDays: number,
  ): Promise<{ runIds: string[]; computationIds: string[] }> {
    const start = Date.UTC(2024, 0, 1) + offsetDays * DAY_MS;
    const runIds = await insertRuns(app.deps.db, {
      batchId: null,
      trigger: "manual",
      maxAttempts: 1,
      requestedBy: null,
      runs: Array.from({ length: count }, (_, index) => ({
        controlId,
        scopeSetId: null,
        scope: {},
        scopeKey: "{}",
        windowStart: new Date(start + index * DAY_MS).toISOString(),
        windowEnd: new Date(start + (index + 1) * DAY_MS).toISOString(),
        isProvisional: false,
      })),
    });
    const { rows } = await app.deps.db.query<{ id: string; runId: string; controlId: string }>(
      `select id, run_id as "runId", control_id as "controlId" from computations where run_id = any($1::uuid[])`,
      [runIds],
    );
    // The computation is the run's: same run id and control id, one each.
    expect(rows.map((row) => row.runId).sort()).toEqual([...runIds].sort());
    expect(new Set(rows.map((row) => row.controlId))).toEqual(new Set([controlId]));
    return { runIds, computationIds: rows.map((row) => row.id) };
  }

  const evidenceRows = (key: string) => [
    { key: `${key}-a`, value: 1, result: "pass" as const, position: 0, from: null, to: null },
    { key: `${key}-b`, value: 2, result: "fail" as const, position: 1, from: null, to: null },
  ];

  function storeInput(computationIds: string[]) {
    return {
      computations: computationIds.map((computationId) => ({
        computationId,
        flowValue: null,
        counts: { pass: 1, fail: 1, error: 0, not_applicable: 0 },
        compliance: 50,
        result: "fail" as const,
        evidenceDigest: "digest",
        controlVersion: null,
        pointId: null,
      })),
      evidences: computationIds.map((computationId) => ({ computationId, evidences: evidenceRows(computationId) })),
    };
  }

  it("stores evidences only with their computation, and fails a batch naming a computation that does not exist", async () => {
    const { computationIds } = await createRuns(2, 0);
    await storeComputationResults(app.deps.db, storeInput(computationIds));
    expect(
      await count("select count(*)::int as n from evidences where computation_id = any($1::uuid[])", [computationIds]),
    ).toBe(4);

    const missing = "00000000-0000-4000-8000-000000000001";
    const [other] = (await createRuns(1, 10)).computationIds;
    // In a transaction, as the engine stores: the failure rolls the batch back.
    const client = await app.deps.db.connect();
    try {
      await client.query("begin");
      await expect(storeComputationResults(client, storeInput([other!, missing]))).rejects.toThrow(
        /1 of 2 computations to store were not found/,
      );
    } finally {
      await client.query("rollback");
      client.release();
    }
    // Nothing of it was written, the missing computation's evidences least of all.
    expect(
      await count("select count(*)::int as n from evidences where computation_id = any($1::uuid[])", [
        [other, missing],
      ]),
    ).toBe(0);
  });

  it("deletes a run's computation and its evidences with the run", async () => {
    const { runIds, computationIds } = await createRuns(3, 20);
    await storeComputationResults(app.deps.db, storeInput(computationIds));
    expect(await deleteRunsOfControls(app.deps.db, { controlIds: [controlId], catalogId: null })).toBeGreaterThan(0);
    expect(await count("select count(*)::int as n from runs where id = any($1::uuid[])", [runIds])).toBe(0);
    expect(
      await count("select count(*)::int as n from computations where id = any($1::uuid[])", [computationIds]),
    ).toBe(0);
    expect(
      await count("select count(*)::int as n from evidences where computation_id = any($1::uuid[])", [computationIds]),
    ).toBe(0);
  });

  it("truncates evidences with their computations, and refuses to truncate runs under computations that points name", async () => {
    const { computationIds } = await createRuns(2, 40);
    await storeComputationResults(app.deps.db, storeInput(computationIds));
    const client = await app.deps.db.connect();
    try {
      await client.query("begin");
      await client.query("savepoint before_runs");
      // The runs' truncate truncates their computations, which the points' key to computations refuses, as a
      // truncate of runs alone was refused before: no computation is left without its run.
      await expect(client.query("truncate runs, run_bulk_items")).rejects.toThrow(/foreign key/);
      await client.query("rollback to savepoint before_runs");
      await client.query("truncate computations, points cascade");
      const left = await client.query<{ evidences: number }>("select count(*)::int as evidences from evidences");
      expect(left.rows[0]).toEqual({ evidences: 0 });
    } finally {
      await client.query("rollback");
      client.release();
    }
  });
});
