import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceDigest, normalizeEvidences } from "../../src/domain/evaluation.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const EVIDENCES = [
  { key: "branch-protection", value: { enabled: true }, result: "pass" },
  { key: "signed-commits", value: false, result: false, from: "2026-11-06T00:00:00Z", to: "2026-11-06T06:00:00Z" },
  { key: "scanner", result: "not_applicable" },
];

/**
 * What one submission leaves in the database (issue 20 stores it in one statement, so the rows are read back here
 * rather than trusted), and what a burst of retries with one Idempotency-Key leaves.
 */
describe("push controls: the rows a submission stores", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    app.setNow(new Date("2026-11-06T12:00:00Z"));
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

  const push = (controlId: string, body: unknown, key?: string) =>
    request(app, "POST", `/api/v1/controls/${controlId}/evidence`, {
      token: developer.token,
      body,
      ...(key ? { headers: { "idempotency-key": key } } : {}),
    });

  it("stores the run (push, ended), its ready computation with its counts and digest, and every evidence in order", async () => {
    const controlId = await pushControl();
    const response = await push(controlId, { value: 17, evidences: EVIDENCES });
    expect(response.status).toBe(201);
    const { computationId } = response.body;

    const computations = await app.deps.db.query(
      `select run_id, control_id, scope, scope_key, window_start, window_end, is_provisional, status, flow_value,
              evidence_count, pass_count, fail_count, error_count, not_applicable_count, compliance::float8 as compliance,
              result, evidence_digest, control_version, point_id, completed_at is not null as is_completed
         from computations where control_id = $1`,
      [controlId],
    );
    expect(computations.rows).toHaveLength(1);
    const computation = computations.rows[0];
    expect(computation).toMatchObject({
      control_id: controlId,
      scope: {},
      scope_key: "{}",
      window_start: "2026-11-06T00:00:00.000Z",
      window_end: "2026-11-07T00:00:00.000Z",
      is_provisional: true,
      status: "ready",
      flow_value: 17,
      evidence_count: 3,
      pass_count: 1,
      fail_count: 1,
      error_count: 0,
      not_applicable_count: 1,
      compliance: 50,
      result: "pass",
      evidence_digest: evidenceDigest(normalizeEvidences(EVIDENCES)),
      control_version: 1,
      point_id: null,
      is_completed: true,
    });

    const runs = await app.deps.db.query(
      `select id, trigger, status, attempts, scope_key, window_start, is_provisional, requested_by,
              started_at is not null and finished_at >= started_at as is_ended
         from runs where control_id = $1`,
      [controlId],
    );
    expect(runs.rows).toEqual([
      {
        id: computation.run_id,
        trigger: "push",
        status: "succeeded",
        attempts: 1,
        scope_key: "{}",
        window_start: "2026-11-06T00:00:00.000Z",
        is_provisional: true,
        requested_by: developer.id,
        is_ended: true,
      },
    ]);

    const evidences = await app.deps.db.query(
      "select computation_id, position, key, value, result, period_from, period_to from evidences where computation_id = $1 order by position",
      [computationId],
    );
    expect(evidences.rows).toEqual([
      {
        computation_id: computationId,
        position: 0,
        key: "branch-protection",
        value: { enabled: true },
        result: "pass",
        period_from: null,
        period_to: null,
      },
      {
        computation_id: computationId,
        position: 1,
        key: "signed-commits",
        value: false,
        result: "fail",
        period_from: "2026-11-06T00:00:00.000Z",
        period_to: "2026-11-06T06:00:00.000Z",
      },
      {
        computation_id: computationId,
        position: 2,
        key: "scanner",
        value: null,
        result: "not_applicable",
        period_from: null,
        period_to: null,
      },
    ]);
    // Without an Idempotency-Key nothing is remembered for a retry.
    const keys = await app.deps.db.query("select 1 from evidence_push_keys where control_id = $1", [controlId]);
    expect(keys.rowCount).toBe(0);
  });

  it("answers as documented: 201 with Location and a JSON body of its length, a retry 200 without it", async () => {
    const controlId = await pushControl();
    const created = await push(controlId, { evidences: EVIDENCES }, "headers-1");
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      computationId: expect.any(String),
      windowFrom: "2026-11-06T00:00:00.000Z",
      windowTo: "2026-11-07T00:00:00.000Z",
      status: "accepted",
      pointId: null,
    });
    expect(created.headers.get("location")).toBe(`/api/v1/computations/${created.body.computationId}`);
    expect(created.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(created.headers.get("content-length")).toBe(String(Buffer.byteLength(created.text)));
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("x-content-type-options")).toBe("nosniff");
    expect(created.headers.get("etag")).toBeNull();

    const retried = await push(controlId, { evidences: EVIDENCES }, "headers-1");
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ ...created.body, status: "duplicate" });
    expect(retried.headers.get("location")).toBeNull();
    expect(retried.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(retried.headers.get("content-length")).toBe(String(Buffer.byteLength(retried.text)));
  });

  it("of a burst of concurrent submissions with one Idempotency-Key, exactly one is stored and the rest answer it", async () => {
    const controlId = await pushControl();
    const body = { evidences: EVIDENCES };
    const responses = await Promise.all(Array.from({ length: 16 }, () => push(controlId, body, "burst-1")));
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(1);
    const first = created[0]!.body;
    for (const response of responses.filter((candidate) => candidate.status !== 201)) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...first, status: "duplicate" });
    }
    const counts = await app.deps.db.query(
      `select (select count(*)::int from runs where control_id = $1) as runs,
              (select count(*)::int from computations where control_id = $1) as computations,
              (select count(*)::int from evidences e join computations c on c.id = e.computation_id
                where c.control_id = $1) as evidences,
              (select count(*)::int from evidence_push_keys where control_id = $1 and computation_id = $2) as keys`,
      [controlId, first.computationId],
    );
    expect(counts.rows[0]).toEqual({ runs: 1, computations: 1, evidences: 3, keys: 1 });
  });

  it("decides on the control as it is now, not as it was read for an earlier submission", async () => {
    const controlId = await pushControl();
    expect((await push(controlId, { evidences: EVIDENCES })).status).toBe(201);
    const archived = await request(app, "POST", `/api/v1/controls/${controlId}/archive`, {
      token: developer.token,
      body: { reason: "Replaced" },
    });
    expect(archived.status).toBe(200);
    expectProblem(await push(controlId, { evidences: EVIDENCES }), 409, "archived");

    // A change made behind the API's back (another process, say) is seen too: the write checks the rows' versions.
    const other = await pushControl();
    expect((await push(other, { evidences: EVIDENCES })).status).toBe(201);
    await app.deps.db.query("update controls set archived_at = now(), archive_reason = 'Elsewhere' where id = $1", [
      other,
    ]);
    expectProblem(await push(other, { evidences: EVIDENCES }), 409, "archived");
    const stored = await app.deps.db.query("select count(*)::int as n from computations where control_id = any($1)", [
      [controlId, other],
    ]);
    expect(stored.rows[0].n).toBe(2);
  });
});
