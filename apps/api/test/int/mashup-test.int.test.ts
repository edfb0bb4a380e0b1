import { MashupTestResultSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const WINDOW = { from: "2025-05-01T00:00:00Z", to: "2025-06-01T00:00:00Z" };

/** POST /mashups/:id/test against the run's real Node-RED and its test flows. */
describe("testing a mashup", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    [developer, user] = await Promise.all([signInAs(app, "DEVELOPER"), signInAs(app, "USER")]);
  });
  afterAll(() => app?.close());

  function testMashup(id: string, body: Record<string, unknown>, token = developer.token) {
    return request(app, "POST", `/api/v1/mashups/${id}/test`, { token, body });
  }

  it("passes params, scope and window to the flow and answers its raw body, status and duration", async () => {
    const response = await testMashup("test-echo", {
      ...WINDOW,
      params: { minApprovals: 2 },
      scope: { team: "payments" },
      period: "DAILY",
    });

    expect(response.status, response.text).toBe(200);
    const result = MashupTestResultSchema.parse(response.body);
    expect(result).toMatchObject({ mashupId: "test-echo", status: 200, isValid: true, problem: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.body).toMatchObject({
      value: true,
      evidences: [
        {
          key: "request",
          result: true,
          value: {
            params: { minApprovals: 2 },
            scope: { team: "payments" },
            ...WINDOW,
            period: "DAILY",
            isTest: true,
            runId: null,
          },
        },
      ],
    });
  });

  it("says why a run could not use a malformed answer, and still shows it", async () => {
    const result = MashupTestResultSchema.parse((await testMashup("test-malformed", WINDOW)).body);

    expect(result).toMatchObject({ status: 200, body: { hello: "world" }, isValid: false });
    expect(result.problem).toEqual(expect.any(String));
  });

  it("stores nothing: no run, computation or point appears", async () => {
    await testMashup("test-pass", WINDOW);

    const counts = await app.deps.db.query<{ runs: number; computations: number; points: number }>(
      "select (select count(*) from runs)::int as runs, (select count(*) from computations)::int as computations, (select count(*) from points)::int as points",
    );
    expect(counts.rows[0]).toEqual({ runs: 0, computations: 0, points: 0 });
  });

  it("answers 504 mashup_timeout when the flow is slower than the timeout", async () => {
    const problem = expectProblem(
      await testMashup("test-slow", { ...WINDOW, params: { delayMs: 2_000 }, timeoutMs: 300 }),
      504,
      "mashup_timeout",
    );
    expect(problem.detail).toContain("300 ms");
  });

  it("answers 404 for a flow that does not exist and 400 naming each bad field", async () => {
    expectProblem(await testMashup("no-such-flow", WINDOW), 404, "not_found");
    const problem = expectProblem(
      await testMashup("test-pass", { from: "yesterday", to: WINDOW.to, timeoutMs: 5 }),
      400,
      "validation_failed",
    );
    expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual(["body.from", "body.timeoutMs"]);
    const reversed = expectProblem(
      await testMashup("test-pass", { from: WINDOW.to, to: WINDOW.from }),
      400,
      "validation_failed",
    );
    expect(reversed.errors).toEqual([expect.objectContaining({ path: "body.to" })]);
  });

  it("is refused to a USER", async () => {
    expectProblem(await testMashup("test-pass", WINDOW, user.token), 403, "forbidden");
  });
});
