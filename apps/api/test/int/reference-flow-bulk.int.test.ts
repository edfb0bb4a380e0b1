import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/actor.ts";
import { receiveBulkItemsAsUser } from "../../src/modules/evaluation/index.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

/**
 * A flow written for the reference STATUS: its status-storer posts the reference's item shape (computationGroup,
 * controlId, period, value, scope, evidences {id, key, value, result}) to the backendUrl it was called with, holding a
 * user's personal API token in its configuration instead of the run's callback token.
 */
function statusStorerFlow(label: string, url: string, accessToken: string) {
  const storer = `
const request = msg.payload || {};
const period = { from: request.from, to: request.to };
const item = (user, enabled) => ({
  computationGroup: request.computationGroup,
  controlId: request.controlId,
  period,
  value: enabled,
  scope: Object.assign({}, request.scope, { user }),
  evidences: [{ id: user + "-mfa", key: "mfa:" + user, value: enabled ? "enabled" : "disabled", result: enabled }],
});
msg.original = { req: msg.req, res: msg.res };
msg.url = request.backendUrl;
msg.method = "POST";
msg.headers = { "content-type": "application/json", "x-access-token": ${JSON.stringify(accessToken)} };
msg.payload = { computations: [item("ana", true), item("ben", false)], done: true };
return msg;`;
  const answer = `
msg.req = msg.original.req;
msg.res = msg.original.res;
const stored = msg.statusCode;
delete msg.headers;
msg.statusCode = 200;
msg.payload = { stored };
return msg;`;
  return {
    label,
    nodes: [
      { id: "in", type: "http in", url, method: "post", upload: false, wires: [["storer"]] },
      { id: "storer", type: "function", name: "status-storer", func: storer, outputs: 1, wires: [["post"]] },
      { id: "post", type: "http request", method: "use", ret: "obj", url: "", wires: [["answer"]] },
      { id: "answer", type: "function", func: answer, outputs: 1, wires: [["out"]] },
      { id: "out", type: "http response", wires: [] },
    ],
  };
}

/** Adds one flow tab to the shared Node-RED through its admin API; answers the tab id (our mashup id). */
async function deployFlow(app: TestApp, flow: ReturnType<typeof statusStorerFlow>): Promise<string> {
  const credentials = sharedNodeRed();
  const token = await app.deps.nodeRed.adminToken();
  const suffix = uniqueSuffix();
  const nodes = flow.nodes.map((node) => ({
    ...node,
    id: `${node.id}-${suffix}`,
    wires: node.wires.map((outputs) => outputs.map((target) => `${target}-${suffix}`)),
  }));
  const response = await fetch(`${credentials.baseUrl}/flow`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ label: flow.label, nodes }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe("reference status-storer flows posting with a personal API token", () => {
  let app: TestApp;
  let developer: TestUser;
  let personalToken: string;
  let tokenId: string;

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: { MASHUP_TIMEOUT_MS: "8000", RUN_MAX_ATTEMPTS: "1", OUTBOUND_ALLOW_HOSTS: "127.0.0.1" },
    });
    developer = await signInAs(app, "DEVELOPER");
    const created = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: `storer-${uniqueSuffix()}`, expiresInDays: 1 },
    });
    expect(created.status).toBe(201);
    personalToken = created.body.token;
    tokenId = created.body.id;
  });
  afterAll(() => app?.close());

  it("completes a waiting run with the items the flow posted, its point on the chain, audited as the token's user", async () => {
    const path = `/reference-storer-${uniqueSuffix()}`;
    const mashupId = await deployFlow(app, statusStorerFlow("Reference: MFA enabled", path, personalToken));
    const { control } = await createEvaluableControl(app, developer.token, { mashupId, threshold: 50 });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    expect(runs[0]).toMatchObject({ status: "succeeded", error: null });

    const detail = await request(app, "GET", `/api/v1/computations/${runs[0]!.computationId}`, {
      token: developer.token,
    });
    expect(detail.body).toMatchObject({ status: "ready", compliance: 50, result: "pass" });
    expect(
      detail.body.evidences.map((evidence: { key: string; result: string }) => [evidence.key, evidence.result]),
    ).toEqual([
      ["mfa:ana", "pass"],
      ["mfa:ben", "fail"],
    ]);
    // The reference's item period became the evidences' own window.
    expect(detail.body.evidences[0]).toMatchObject({ from: runs[0]!.windowStart, to: runs[0]!.windowEnd });

    const points = await request(app, "GET", `/api/v1/points?controlId=${control.id}`, { token: developer.token });
    expect(points.body.items).toHaveLength(1);
    expect(points.body.items[0]).toMatchObject({ value: 50, result: "pass", computationId: runs[0]!.computationId });

    const admin = await signInAs(app, "ADMIN");
    const audit = await request(app, "GET", `/api/v1/audit?resourceType=run&resourceId=${runs[0]!.id}`, {
      token: admin.token,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorId: developer.id,
      action: "create",
      tokenId,
      after: { controlId: control.id, received: 2, done: true },
    });
  });

  it("needs the run named by computationGroup, refuses finished runs, users below DEVELOPER and unknown tokens", async () => {
    const noGroup = await request(app, "POST", "/api/v1/computations/bulk", {
      headers: { "x-access-token": personalToken },
      body: { computations: [{ value: true, evidences: [] }], done: true },
    });
    expectProblem(noGroup, 400, "bulk_run_required");

    const unknownRun = await request(app, "POST", "/api/v1/computations/bulk", {
      token: personalToken,
      body: { computations: [{ computationGroup: "00000000-0000-4000-8000-000000000000", evidences: [] }] },
    });
    expectProblem(unknownRun, 404, "not_found");

    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    const late = await request(app, "POST", "/api/v1/computations/bulk", {
      headers: { "x-access-token": personalToken },
      body: { computations: [{ computationGroup: runs[0]!.id, value: true, evidences: [] }], done: true },
    });
    expectProblem(late, 409, "run_finished");

    const viewer = await signInAs(app, "USER");
    const viewerToken = await request(app, "POST", "/api/v1/tokens", {
      token: viewer.token,
      body: { name: "viewer", expiresInDays: 1 },
    });
    const refused = await request(app, "POST", "/api/v1/computations/bulk", {
      headers: { "x-access-token": viewerToken.body.token },
      body: { computations: [{ computationGroup: runs[0]!.id, evidences: [] }] },
    });
    expectProblem(refused, 403, "forbidden");

    const unknown = await request(app, "POST", "/api/v1/computations/bulk", {
      headers: { "x-access-token": "stt_not-a-real-token" },
      body: { computations: [], done: true },
    });
    expectProblem(unknown, 401, "token_invalid");
  });

  it("keeps a scoped token without runs:write, or limited to other controls, away from the run", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    const body = { computations: [{ computationGroup: runs[0]!.id, evidences: [] }], done: false };
    const base: Actor = {
      userId: developer.id,
      username: developer.username,
      role: "DEVELOPER",
      authMethod: "api_token",
      tokenId,
    };
    await expect(receiveBulkItemsAsUser(app.deps, { ...base, tokenScopes: ["read"] }, body)).rejects.toMatchObject({
      status: 403,
      code: "token_scope_insufficient",
    });
    await expect(
      receiveBulkItemsAsUser(
        app.deps,
        { ...base, tokenScopes: ["runs:write"], tokenLimits: { controlIds: ["00000000-0000-4000-8000-000000000001"] } },
        body,
      ),
    ).rejects.toMatchObject({ status: 403, code: "token_scope_insufficient" });
    // Permitted: reaches the run, which has finished by now.
    await expect(
      receiveBulkItemsAsUser(
        app.deps,
        { ...base, tokenScopes: ["runs:write"], tokenLimits: { controlIds: [control.id] } },
        body,
      ),
    ).rejects.toMatchObject({ status: 409, code: "run_finished" });
  });
});
