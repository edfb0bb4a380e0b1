import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/fake-openai.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { postForEvents } from "../sse.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Chat turns against the loopback fake of OpenAI, on real Postgres, with real points computed by the real Node-RED
 * test flows: the requests our code sends, the tools it runs (with the asker's role), and what it stores.
 */
describe("chatting with an assistant", () => {
  let app: TestApp;
  let fake: FakeOpenAi;
  let developer: TestUser;
  let user: TestUser;
  let failing: { id: string; name: string; catalogId: string };
  let failingComputationId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: {
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_MAX_RETRIES: "0",
        OPENAI_MODEL: "gpt-fake",
        MASHUP_TIMEOUT_MS: "5000",
      },
    });
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
    // test-fail answers two passing and one failing evidence: 66.7 % against a threshold of 80 fails the window.
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-fail", threshold: 80 });
    const { runs } = await waitForBatch(
      app,
      developer.token,
      (await startRuns(app, developer.token, control.id)).batch.id,
    );
    failing = { id: control.id, name: control.name, catalogId: control.catalogId };
    failingComputationId = runs[0]!.computationId!;
    const { control: passing } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      threshold: 80,
    });
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, passing.id)).batch.id);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  async function createAssistant(body: Record<string, unknown>) {
    const response = await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: { name: `Assistant ${uniqueSuffix()}`, ...body },
    });
    expect(response.status, response.text).toBe(201);
    return response.body as { id: string };
  }

  async function startConversation(assistantId: string, token: string) {
    const response = await request(app, "POST", `/api/v1/assistants/${assistantId}/conversations`, { token, body: {} });
    expect(response.status, response.text).toBe(201);
    return response.body as { id: string; title: string };
  }

  function lastToolMessage(body: any): any {
    const message = [...body.messages].reverse().find((candidate: { role: string }) => candidate.role === "tool");
    return JSON.parse(message.content);
  }

  it("streams an answer to 'which controls failed last month and why?' grounded in the stored evidence", async () => {
    const assistant = await createAssistant({
      instructions: "You help compliance officers.",
      tools: ["list_failing_controls", "get_control_evidence"],
    });
    const conversation = await startConversation(assistant.id, user.token);
    const requestsBefore = fake.chatRequests().length;
    let toolResult: any;
    fake.script(
      {
        toolCalls: [{ name: "list_failing_controls", arguments: {} }],
        usage: { prompt_tokens: 300, completion_tokens: 12 },
      },
      (body) => {
        toolResult = lastToolMessage(body);
        const control = toolResult.failingControls[0];
        const evidence = control.failedEvidences[0];
        return {
          text: `${control.controlName} failed: evidence ${evidence.key} was ${evidence.result}.`,
          usage: { prompt_tokens: 500, completion_tokens: 30 },
        };
      },
    );

    const path = `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`;
    const response = await postForEvents(app, path, {
      token: user.token,
      body: { content: "Which controls failed last month and why?" },
    });

    expect(response.status).toBe(200);
    const names = response.events.map((event) => event.event);
    expect(names[0]).toBe("tool_call");
    expect(names).toEqual(["tool_call", "tool_result", ...names.slice(2, -1).map(() => "delta"), "done"]);
    expect(names.filter((name) => name === "delta").length).toBeGreaterThan(3);
    const answer = `${failing.name} failed: evidence item-2 was fail.`;
    expect(
      response.events
        .filter((event) => event.event === "delta")
        .map((event) => event.data.text)
        .join(""),
    ).toBe(answer);
    expect(response.events[1]!.data).toMatchObject({
      name: "list_failing_controls",
      isError: false,
      summary: expect.stringMatching(/^1 failing control /),
    });

    // The tool read the real failing point and its failing evidence.
    expect(toolResult.failingControls).toHaveLength(1);
    expect(toolResult.failingControls[0]).toMatchObject({
      controlId: failing.id,
      failedWindows: 1,
      latestFailure: { computationId: failingComputationId },
    });
    expect(toolResult.failingControls[0].failedEvidences).toEqual([{ key: "item-2", value: 0, result: "fail" }]);

    // What our code sent: the model, streaming with usage, the assistant's tools, the instructions, the history.
    const [first, second] = fake.chatRequests().slice(requestsBefore);
    expect(first!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(first!.body).toMatchObject({ model: "gpt-fake", stream: true, stream_options: { include_usage: true } });
    expect(first!.body.tools.map((tool: any) => tool.function.name)).toEqual([
      "list_failing_controls",
      "get_control_evidence",
    ]);
    expect(first!.body.tools[0].function.parameters).toMatchObject({
      type: "object",
      properties: { from: { type: "string" }, to: { type: "string" } },
    });
    expect(first!.body.messages[0].role).toBe("system");
    expect(first!.body.messages[0].content).toContain("You help compliance officers.");
    expect(first!.body.messages.at(-1)).toEqual({ role: "user", content: "Which controls failed last month and why?" });
    const callId = response.events[0]!.data.id;
    expect(second!.body.messages.at(-2)).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: callId, type: "function", function: { name: "list_failing_controls", arguments: "{}" } }],
    });
    expect(second!.body.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: callId });

    // The answer cites the control and the computation it used; every message is stored.
    const done = response.events.at(-1)!.data;
    expect(done.citations.controls).toEqual([{ id: failing.id, catalogId: failing.catalogId, name: failing.name }]);
    expect(done.citations.computations.map((computation: { id: string }) => computation.id)).toEqual([
      failingComputationId,
    ]);
    const stored = await app.deps.db.query(
      "select role, content, tool_call_id, tool_name, tool_summary, citations from messages where conversation_id = $1 order by seq",
      [conversation.id],
    );
    expect(stored.rows.map((row) => row.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(stored.rows[2]).toMatchObject({
      tool_call_id: callId,
      tool_name: "list_failing_controls",
      tool_summary: response.events[1]!.data.summary,
    });
    expect(stored.rows[3].content).toBe(answer);
    expect(stored.rows[3].citations.controls[0].id).toBe(failing.id);
    const usage = await app.deps.db.query(
      "select requests, prompt_tokens, completion_tokens from ai_usage where user_id = $1",
      [user.id],
    );
    expect(usage.rows).toEqual([{ requests: 2, prompt_tokens: 800, completion_tokens: 42 }]);

    // The conversation keeps its context on the server and is titled after the first question.
    const detail = await request(app, "GET", `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}`, {
      token: user.token,
    });
    expect(detail.body).toMatchObject({ title: "Which controls failed last month and why?", messageCount: 4 });
    fake.script({ text: "It was item-2." });
    await request(app, "POST", path, { token: user.token, body: { content: "Which evidence again?" } });
    const followUp = fake
      .chatRequests()
      .at(-1)!
      .body.messages.map((message: any) => message.role);
    expect(followUp).toEqual(["system", "user", "assistant", "tool", "assistant", "user"]);
  });

  it("runs tools with the asking user's role: a USER cannot draft flows nor read flow code", async () => {
    const assistant = await createAssistant({ tools: ["explain_control_flow", "draft_node_red_flow"] });
    const conversation = await startConversation(assistant.id, user.token);
    const before = fake.chatRequests().length;
    fake.script(
      {
        toolCalls: [
          { name: "draft_node_red_flow", arguments: { name: "MFA", path: "mfa-enabled", description: "Checks MFA" } },
          { name: "explain_control_flow", arguments: { controlId: failing.id } },
        ],
      },
      { text: "Done." },
    );

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: user.token, body: { content: "Draft a flow for MFA and explain the failing control's flow" } },
    );

    expect(response.status, response.text).toBe(200);
    // The draft tool was never offered to a USER, and the call the model made anyway was refused.
    expect(fake.chatRequests()[before]!.body.tools.map((tool: any) => tool.function.name)).toEqual([
      "explain_control_flow",
    ]);
    const tools = response.body.messages.filter((message: { role: string }) => message.role === "tool");
    expect(tools[0]).toMatchObject({ toolName: "draft_node_red_flow", isToolError: true, draftFlow: null });
    expect(JSON.parse(tools[0].content).error.code).toBe("forbidden");
    const explanation = JSON.parse(tools[1].content);
    expect(tools[1].isToolError).toBe(false);
    expect(explanation.flow).toMatchObject({ id: "test-fail", label: "Test: mixed" });
    const functionNode = explanation.nodes.find((node: { type: string }) => node.type === "function");
    expect(functionNode.code).toBe("(hidden: reading flow code needs the DEVELOPER role)");
  });

  async function countResults() {
    const result = await app.deps.db.query(
      "select (select count(*) from points)::int as points, (select count(*) from computations)::int as computations, (select count(*) from runs)::int as runs, (select count(*) from controls)::int as controls",
    );
    return result.rows[0];
  }

  it("lets a DEVELOPER draft a flow, stored for review and never deployed, and read flow code; nothing is evaluated or changed", async () => {
    const before = await countResults();
    const assistant = await createAssistant({ tools: ["explain_control_flow", "draft_node_red_flow"] });
    const conversation = await startConversation(assistant.id, developer.token);
    fake.script(
      {
        toolCalls: [
          {
            name: "draft_node_red_flow",
            arguments: {
              name: "MFA enabled",
              path: "mfa-enabled",
              description: "Every account has MFA.",
              functionCode: "return msg;",
            },
          },
          { name: "explain_control_flow", arguments: { controlId: failing.id } },
        ],
      },
      { text: "Here is a draft for review." },
    );

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: developer.token, body: { content: "Draft an MFA flow" } },
    );

    const [draft, explain] = response.body.messages.filter((message: { role: string }) => message.role === "tool");
    expect(draft.isToolError).toBe(false);
    expect(draft.draftFlow.map((node: { type: string }) => node.type)).toEqual([
      "tab",
      "http in",
      "function",
      "http response",
    ]);
    expect(draft.draftFlow[1]).toMatchObject({
      url: "/mfa-enabled",
      method: "post",
      z: draft.draftFlow[0].id,
      wires: [[draft.draftFlow[2].id]],
    });
    expect(draft.draftFlow[2]).toMatchObject({ func: "return msg;", wires: [[draft.draftFlow[3].id]] });
    const deployed = await app.deps.nodeRed.listFlows();
    expect(deployed.some((node) => node.id === draft.draftFlow[0].id || node.url === "/mfa-enabled")).toBe(false);
    const code = JSON.parse(explain.content).nodes.find((node: { type: string }) => node.type === "function").code;
    expect(code).toContain("item-2");
    expect(await countResults()).toEqual(before);
  });

  it("hands bad tool arguments back to the model instead of failing the turn", async () => {
    const assistant = await createAssistant({ tools: ["get_control_evidence"] });
    const conversation = await startConversation(assistant.id, user.token);
    // The first call comes without an id, as some compatible servers send them; the result must still be paired.
    fake.script(
      { toolCalls: [{ name: "get_control_evidence", arguments: '{"controlId": "not-a-uuid"', id: null }] },
      {
        toolCalls: [{ name: "get_control_evidence", arguments: { controlId: "00000000-0000-4000-8000-000000000000" } }],
      },
      { text: "I could not find it." },
    );

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: user.token, body: { content: "Evidence of a control?" } },
    );

    const results = response.body.messages
      .filter((message: { role: string }) => message.role === "tool")
      .map((message: { content: string }) => JSON.parse(message.content).error.code);
    expect(results).toEqual(["invalid_arguments", "not_found"]);
    const [firstCall] = response.body.messages[1].toolCalls;
    expect(firstCall.id).toMatch(/^call_[0-9a-f]{16}$/);
    expect(response.body.messages[2].toolCallId).toBe(firstCall.id);
    expect(response.body.messages.at(-1).content).toBe("I could not find it.");
  });

  it("reports a catalog's compliance over the period as the registry aggregates it, per control with its threshold", async () => {
    const assistant = await createAssistant({ tools: ["get_catalog_compliance"] });
    const conversation = await startConversation(assistant.id, user.token);
    fake.script(
      { toolCalls: [{ name: "get_catalog_compliance", arguments: { catalogId: failing.catalogId } }] },
      { text: "0 %." },
    );

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: user.token, body: { content: "How compliant is the catalog?" } },
    );

    expect(response.status, response.text).toBe(200);
    const tool = response.body.messages.find((message: { role: string }) => message.role === "tool");
    expect(tool).toMatchObject({
      isToolError: false,
      toolSummary: expect.stringMatching(/: 0 % compliant over 1 points$/),
    });
    const content = JSON.parse(tool.content);
    expect(content.overall).toMatchObject({ pointCount: 1, passCount: 0, failCount: 1, compliance: 0 });
    expect(content.controls).toEqual([
      expect.objectContaining({
        controlId: failing.id,
        controlName: failing.name,
        threshold: 80,
        pointCount: 1,
        failCount: 1,
        latestResult: "fail",
      }),
    ]);
    expect(content.isTruncated).toBe(false);
    expect(response.body.citations.controls).toEqual([
      { id: failing.id, catalogId: failing.catalogId, name: failing.name },
    ]);
  });

  it("stops the tool loop after five model requests, the last one without tools", async () => {
    const assistant = await createAssistant({ tools: ["get_control_evidence"] });
    const conversation = await startConversation(assistant.id, user.token);
    const before = fake.chatRequests().length;
    const call = { toolCalls: [{ name: "get_control_evidence", arguments: { controlId: failing.id } }] };
    fake.script(call, call, call, call, {
      text: "Enough.",
      toolCalls: [{ name: "get_control_evidence", arguments: { controlId: failing.id } }],
    });

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: user.token, body: { content: "Loop" } },
    );

    const sent = fake.chatRequests().slice(before);
    expect(sent).toHaveLength(5);
    expect(sent.slice(0, 4).every((entry) => entry.body.tools?.length === 1)).toBe(true);
    expect(sent[4]!.body.tools).toBeUndefined();
    expect(response.body.messages.at(-1)).toMatchObject({ role: "assistant", content: "Enough.", toolCalls: [] });
  });

  it("puts matching knowledge-base passages into the context and cites their documents", async () => {
    const assistant = await createAssistant({ tools: [] });
    const text = "Quarterly restore drills prove that backups can be restored.";
    await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, {
      token: developer.token,
      body: {
        filename: "drills.md",
        contentType: "text/markdown",
        contentBase64: Buffer.from(text).toString("base64"),
      },
    });
    const conversation = await startConversation(assistant.id, user.token);
    fake.script({ text: "Every quarter." });

    const response = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: user.token, body: { content: "How often are restore drills run?" } },
    );

    const system = fake.chatRequests().at(-1)!.body.messages[0].content;
    expect(system).toContain("[drills.md #1]");
    expect(system).toContain(text);
    expect(fake.chatRequests().at(-1)!.body.tools).toBeUndefined();
    expect(response.body.citations.documents).toEqual([{ id: expect.any(String), filename: "drills.md" }]);
  });
});
