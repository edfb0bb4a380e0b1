import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MashupEvidenceSchema, MashupSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestNodeRed, type TestNodeRed } from "../node-red-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** A flow tab with one http-in node, declaring `evidence` in its STATUS_EVIDENCE variable. */
function flowTab(id: string, evidence: unknown, extraEnv: object[] = []) {
  return [
    {
      id,
      type: "tab",
      label: `Evidence ${id}`,
      disabled: false,
      info: "",
      env: [
        { name: "maxAgeDays", value: "7", type: "num" },
        ...extraEnv,
        ...(evidence === undefined ? [] : [{ name: "STATUS_EVIDENCE", value: JSON.stringify(evidence), type: "json" }]),
      ],
    },
    { id: `${id}-in`, type: "http in", z: id, url: `/${id}`, method: "post", wires: [[`${id}-out`]] },
    { id: `${id}-out`, type: "http response", z: id, statusCode: "", headers: {}, wires: [] },
  ];
}

/**
 * Mashups declare their evidences (label, unit, rule) in a flow variable, validated when Node-RED's flows are read:
 * the example flows through the run's shared Node-RED, bad declarations through a Node-RED of this test's own.
 */
describe("mashup evidence declarations", () => {
  let shared: TestApp;
  let own: TestApp;
  let nodeRed: TestNodeRed;
  let flowDir: string;
  let user: TestUser;
  let ownUser: TestUser;

  beforeAll(async () => {
    flowDir = await mkdtemp(path.join(os.tmpdir(), "status-evidence-flows-"));
    const flowFile = path.join(flowDir, "evidence-flows.json");
    await writeFile(
      flowFile,
      JSON.stringify([
        ...flowTab("declared", [
          { key: "prod-*", label: "Production age", unit: "days", rule: { op: "<=", param: "maxAgeDays" } },
          { label: "Status", rule: { op: "in", value: ["ok", "partial"] } },
        ]),
        ...flowTab("undeclared", undefined),
        ...flowTab("bad-shape", [
          { label: "", rule: { op: "~=", value: 1 } },
          { label: "Both", rule: { op: "<=", param: "maxAgeDays", value: 3 } },
        ]),
        ...flowTab("unknown-param", [{ label: "Age", rule: { op: "<=", param: "maxAge" } }]),
        ...flowTab("not-json", undefined, [{ name: "STATUS_EVIDENCE", value: "[{", type: "json" }]),
      ]),
    );
    nodeRed = await startTestNodeRed({ flowFiles: [flowFile] });
    [shared, own] = await Promise.all([startTestApp(), startTestApp({ nodeRed: nodeRed.client })]);
    [user, ownUser] = await Promise.all([signInAs(shared, "USER"), signInAs(own, "USER")]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([shared?.close(), own?.close()]);
    await nodeRed?.stop();
    await rm(flowDir, { recursive: true, force: true });
  });

  it("the three example mashups declare a label, a unit and the rule on their parameter", async () => {
    const answers = await Promise.all(
      ["privileged-access-reviewed", "pull-requests-reviewed", "nightly-backups-succeeded"].map((id) =>
        request(shared, "GET", `/api/v1/mashups/${id}/evidence`, { token: user.token }),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const [access, pullRequests, backups] = answers.map((answer) => MashupEvidenceSchema.parse(answer.body));
    expect(access!.evidence).toEqual([
      { key: "*", label: "Days since the last review", unit: "days", rule: { op: "<=", param: "maxReviewAgeDays" } },
    ]);
    expect(access!.inputs).toEqual([{ name: "maxReviewAgeDays", type: "number", default: 90 }]);
    expect(pullRequests!.evidence[0]).toMatchObject({ unit: "approvals", rule: { op: ">=", param: "minApprovals" } });
    expect(backups!.evidence[0]).toMatchObject({ label: "Backup status", rule: { op: "==", value: "success" } });
  });

  it("keeps the declaration out of the inputs a control can set", async () => {
    const response = await request(shared, "GET", "/api/v1/mashups/privileged-access-reviewed", { token: user.token });

    const mashup = MashupSchema.parse(response.body);
    expect(mashup.inputs.map((input) => input.name)).toEqual(["maxReviewAgeDays"]);
    expect(mashup.evidenceIssues).toEqual([]);
  });

  it("answers a valid declaration in order, and an empty one for a flow that declares none", async () => {
    const declared = await request(own, "GET", "/api/v1/mashups/declared/evidence", { token: ownUser.token });
    const undeclared = await request(own, "GET", "/api/v1/mashups/undeclared/evidence", { token: ownUser.token });

    expect(declared.status).toBe(200);
    expect(declared.body.evidence.map((item: { key: string }) => item.key)).toEqual(["prod-*", "*"]);
    expect(undeclared.body).toEqual({
      mashupId: "undeclared",
      inputs: [{ name: "maxAgeDays", type: "number", default: 7 }],
      evidence: [],
    });
  });

  it("answers 422 evidence_declaration_invalid with every issue by its path in the variable", async () => {
    const badShape = await request(own, "GET", "/api/v1/mashups/bad-shape/evidence", { token: ownUser.token });
    const unknownParam = await request(own, "GET", "/api/v1/mashups/unknown-param/evidence", {
      token: ownUser.token,
    });
    const notJson = await request(own, "GET", "/api/v1/mashups/not-json/evidence", { token: ownUser.token });

    const shapeProblem = expectProblem(badShape, 422, "evidence_declaration_invalid");
    const paths = shapeProblem.errors.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(["STATUS_EVIDENCE.0.label", "STATUS_EVIDENCE.0.rule.op", "STATUS_EVIDENCE.1.rule"]),
    );
    expect(shapeProblem.detail).toContain("bad-shape");
    expect(expectProblem(unknownParam, 422, "evidence_declaration_invalid").errors).toEqual([
      { path: "STATUS_EVIDENCE.0.rule.param", message: "The mashup has no input named maxAge" },
    ]);
    expect(expectProblem(notJson, 422, "evidence_declaration_invalid").errors).toEqual([
      { path: "STATUS_EVIDENCE", message: "Not valid JSON" },
    ]);
  });

  it("still lists a mashup with a bad declaration, with its issues and no rules", async () => {
    const response = await request(own, "GET", "/api/v1/mashups/unknown-param", { token: ownUser.token });

    expect(response.status).toBe(200);
    expect(MashupSchema.parse(response.body)).toMatchObject({ evidence: [], evidenceIssues: [expect.anything()] });
  });

  it("answers 404 for an unknown mashup", async () => {
    expectProblem(
      await request(own, "GET", "/api/v1/mashups/nope/evidence", { token: ownUser.token }),
      404,
      "not_found",
    );
  });
});
