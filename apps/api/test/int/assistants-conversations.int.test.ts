import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/fake-openai.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/** Conversation history: private to its owner, renamed, archived, deleted and exported. */
describe("conversations", () => {
  let app: TestApp;
  let fake: FakeOpenAi;
  let developer: TestUser;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let assistantId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    app = await startTestApp({
      env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: fake.apiKey, OPENAI_MAX_RETRIES: "0" },
    });
    developer = await signInAs(app, "DEVELOPER");
    owner = await signInAs(app, "USER");
    other = await signInAs(app, "USER");
    admin = await signInAs(app, "ADMIN");
    assistantId = (
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: `History ${uniqueSuffix()}`, tools: ["draft_node_red_flow"] },
      })
    ).body.id;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  async function conversationWithAnswer(token = owner.token) {
    const conversation = (
      await request(app, "POST", `/api/v1/assistants/${assistantId}/conversations`, { token, body: {} })
    ).body;
    fake.script({ text: "Backups failed on **two** nights.\n\n```\nnot the end of the block\n```" });
    const turn = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistantId}/conversations/${conversation.id}/messages`,
      { token, body: { content: "Did backups fail?" } },
    );
    expect(turn.status, turn.text).toBe(200);
    return { conversation, base: `/api/v1/assistants/${assistantId}/conversations/${conversation.id}` };
  }

  it("keeps conversations private: other users, ADMIN included, get 404 on every route", async () => {
    const { base } = await conversationWithAnswer();

    for (const token of [other.token, admin.token]) {
      expectProblem(await request(app, "GET", base, { token }), 404, "not_found");
      expectProblem(await request(app, "PATCH", base, { token, body: { title: "Mine now" } }), 404, "not_found");
      expectProblem(await request(app, "GET", `${base}/export?format=json`, { token }), 404, "not_found");
      expectProblem(
        await request(app, "POST", `${base}/messages`, { token, body: { content: "Hi" } }),
        404,
        "not_found",
      );
      expectProblem(await request(app, "DELETE", base, { token }), 404, "not_found");
    }
    const listed = await request(app, "GET", `/api/v1/assistants/${assistantId}/conversations`, { token: other.token });
    expect(listed.body.items).toEqual([]);
    expect((await request(app, "GET", base, { token: owner.token })).status).toBe(200);
  });

  it("renames, archives, restores and deletes a conversation", async () => {
    const { conversation, base } = await conversationWithAnswer();

    const renamed = await request(app, "PATCH", base, { token: owner.token, body: { title: "Backup failures" } });
    expect(renamed.body).toMatchObject({ title: "Backup failures", isArchived: false });
    await request(app, "PATCH", base, { token: owner.token, body: { isArchived: true } });
    const active = await request(app, "GET", `/api/v1/assistants/${assistantId}/conversations`, { token: owner.token });
    const archived = await request(app, "GET", `/api/v1/assistants/${assistantId}/conversations?archived=true`, {
      token: owner.token,
    });
    expect(active.body.items.map((item: { id: string }) => item.id)).not.toContain(conversation.id);
    expect(archived.body.items.map((item: { id: string }) => item.id)).toContain(conversation.id);

    expect((await request(app, "DELETE", base, { token: owner.token })).status).toBe(204);
    const messages = await app.deps.db.query("select count(*)::int as n from messages where conversation_id = $1", [
      conversation.id,
    ]);
    expect(messages.rows[0].n).toBe(0);
    const audit = await app.deps.db.query(
      "select action, before::text as before from audit_log where resource_type = 'conversation' and resource_id = $1 order by id",
      [conversation.id],
    );
    expect(audit.rows.map((row) => row.action)).toEqual(["create", "update", "update", "delete"]);
    expect(audit.rows.map((row) => row.before ?? "").join(" ")).not.toContain("Did backups fail?");
  });

  it("exports as Markdown: title, every message with its author and time, the model", async () => {
    const { base } = await conversationWithAnswer();

    const response = await request(app, "GET", `${base}/export?format=md`, { token: owner.token });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(response.headers.get("content-disposition")).toBe("attachment; filename=did-backups-fail.md");
    expect(response.text).toMatch(/^# Did backups fail\?\n/);
    expect(response.text).toMatch(/## You · .* UTC\n\nDid backups fail\?/);
    expect(response.text).toContain("## Assistant (gpt-4o-mini)");
    expect(response.text).toContain("Backups failed on **two** nights.");
  });

  it("exports as JSON with the stored messages", async () => {
    const { conversation, base } = await conversationWithAnswer();

    const response = await request(app, "GET", `${base}/export?format=json`, { token: owner.token });

    expect(response.headers.get("content-disposition")).toBe("attachment; filename=did-backups-fail.json");
    expect(response.body).toMatchObject({
      assistant: { id: assistantId },
      conversation: { id: conversation.id, title: "Did backups fail?" },
    });
    expect(response.body.conversation.messages.map((message: { role: string }) => message.role)).toEqual([
      "user",
      "assistant",
    ]);
    expectProblem(
      await request(app, "GET", `${base}/export?format=pdf`, { token: owner.token }),
      400,
      "validation_failed",
    );
  });

  it("exports a drafted flow and the tool calls in Markdown", async () => {
    const conversation = (
      await request(app, "POST", `/api/v1/assistants/${assistantId}/conversations`, {
        token: developer.token,
        body: { title: "Flow" },
      })
    ).body;
    fake.script(
      { toolCalls: [{ name: "draft_node_red_flow", arguments: { name: "MFA", path: "mfa", description: "MFA on" } }] },
      { text: "Review the draft." },
    );
    await request(app, "POST", `/api/v1/assistants/${assistantId}/conversations/${conversation.id}/messages`, {
      token: developer.token,
      body: { content: "Draft MFA" },
    });

    const markdown = (
      await request(app, "GET", `/api/v1/assistants/${assistantId}/conversations/${conversation.id}/export`, {
        token: developer.token,
      })
    ).text;

    expect(markdown).toContain("> Calls `draft_node_red_flow`");
    expect(markdown).toContain("### Tool result: draft_node_red_flow");
    expect(markdown).toContain("Drafted Node-RED flow (not deployed; review before importing):");
    expect(markdown).toContain('"type": "http in"');
  });
});

describe("conversations on the embedded PGlite", () => {
  let app: TestApp;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    app = await startTestApp({
      database: "pglite",
      cache: "memory",
      env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_MAX_RETRIES: "0" },
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it("stores the key encrypted, runs a turn with a knowledge-base tool and exports it there too", async () => {
    const admin = await signInAs(app, "ADMIN");
    expect(
      (await request(app, "PATCH", "/api/v1/ai/settings", { token: admin.token, body: { apiKey: fake.apiKey } }))
        .status,
    ).toBe(200);
    const assistant = (
      await request(app, "POST", "/api/v1/assistants", {
        token: admin.token,
        body: { name: "Embedded helper", tools: ["search_knowledge_base"] },
      })
    ).body;
    await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, {
      token: admin.token,
      body: {
        filename: "keys.txt",
        contentType: "text/plain",
        contentBase64: Buffer.from("Encryption keys rotate every year.").toString("base64"),
      },
    });
    const conversation = (
      await request(app, "POST", `/api/v1/assistants/${assistant.id}/conversations`, { token: admin.token, body: {} })
    ).body;
    fake.script(
      { toolCalls: [{ name: "search_knowledge_base", arguments: { query: "encryption keys rotate" } }] },
      { text: "Every year." },
    );

    const turn = await request(
      app,
      "POST",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/messages`,
      { token: admin.token, body: { content: "How often do keys rotate?" } },
    );

    expect(turn.status, turn.text).toBe(200);
    const tool = turn.body.messages.find((message: { role: string }) => message.role === "tool");
    expect(JSON.parse(tool.content).passages[0].content).toBe("Encryption keys rotate every year.");
    expect(turn.body.citations.documents.map((document: { filename: string }) => document.filename)).toEqual([
      "keys.txt",
    ]);
    const markdown = await request(
      app,
      "GET",
      `/api/v1/assistants/${assistant.id}/conversations/${conversation.id}/export?format=md`,
      { token: admin.token },
    );
    expect(markdown.text).toContain("Every year.");
  });
});
