import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

describe("assistants", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
  });
  afterAll(() => app?.close());

  async function createAssistant(overrides: Record<string, unknown> = {}) {
    const response = await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: { name: `Helper ${uniqueSuffix()}`, ...overrides },
    });
    expect(response.status, response.text).toBe(201);
    return response.body;
  }

  it("creates an assistant with instructions, model and tools, and audits it", async () => {
    const response = await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: {
        name: "Audit helper",
        description: "Answers about failing controls",
        instructions: "Be brief.",
        model: "gpt-4o-mini",
        tools: ["list_failing_controls", "get_control_evidence"],
      },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`/api/v1/assistants/${response.body.id}`);
    expect(response.body).toMatchObject({
      name: "Audit helper",
      instructions: "Be brief.",
      model: "gpt-4o-mini",
      tools: ["list_failing_controls", "get_control_evidence"],
      isEnabled: true,
      documentCount: 0,
    });
    const audit = await app.deps.db.query(
      "select action, actor_id from audit_log where resource_type = 'assistant' and resource_id = $1",
      [response.body.id],
    );
    expect(audit.rows).toEqual([{ action: "create", actor_id: developer.id }]);
  });

  it("refuses unknown tools, a duplicate tool, a bad model name and unknown fields, listing every issue", async () => {
    const response = await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: { name: "x", tools: ["code_interpreter", "list_failing_controls"], model: "gpt 4", colour: "red" },
    });

    const problem = expectProblem(response, 400, "validation_failed");
    const paths = problem.errors.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["body.tools.0", "body.model", "body"]));
  });

  it("answers 409 for a name taken (case-insensitively)", async () => {
    const first = await createAssistant();
    expectProblem(
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: first.name.toUpperCase() },
      }),
      409,
      "duplicate",
    );
  });

  it("edits and deletes an assistant", async () => {
    const assistant = await createAssistant();
    const edited = await request(app, "PATCH", `/api/v1/assistants/${assistant.id}`, {
      token: developer.token,
      body: { instructions: "New rules", model: null, tools: ["draft_node_red_flow"], isEnabled: false },
    });
    expect(edited.body).toMatchObject({
      instructions: "New rules",
      model: null,
      tools: ["draft_node_red_flow"],
      isEnabled: false,
    });

    expect(
      (await request(app, "DELETE", `/api/v1/assistants/${assistant.id}`, { token: developer.token })).status,
    ).toBe(204);
    expectProblem(
      await request(app, "GET", `/api/v1/assistants/${assistant.id}`, { token: developer.token }),
      404,
      "not_found",
    );
  });

  it("reads a document body above the general limit only for those who may upload", async () => {
    const assistant = await createAssistant();
    const body = {
      filename: "large.txt",
      contentType: "text/plain",
      contentBase64: Buffer.from("policy text ".repeat(120_000)).toString("base64"),
    };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);

    expectProblem(
      await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, { token: user.token, body }),
      413,
      "payload_too_large",
    );
    expectProblem(
      await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, { body }),
      413,
      "payload_too_large",
    );
    const uploaded = await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, {
      token: developer.token,
      body,
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.body.sizeBytes).toBe(1_440_000);
  });

  it("shows a USER the enabled assistants only, and refuses them changes", async () => {
    const enabled = await createAssistant();
    const disabled = await createAssistant({ isEnabled: false });

    const listed = await request(app, "GET", "/api/v1/assistants?pageSize=200", { token: user.token });
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(enabled.id);
    expect(ids).not.toContain(disabled.id);
    expectProblem(
      await request(app, "GET", `/api/v1/assistants/${disabled.id}`, { token: user.token }),
      404,
      "not_found",
    );
    expectProblem(
      await request(app, "PATCH", `/api/v1/assistants/${enabled.id}`, { token: user.token, body: { name: "mine" } }),
      403,
      "forbidden",
    );
    const asDeveloper = await request(app, "GET", "/api/v1/assistants?pageSize=200", { token: developer.token });
    expect(asDeveloper.body.items.map((item: { id: string }) => item.id)).toContain(disabled.id);
  });
});
