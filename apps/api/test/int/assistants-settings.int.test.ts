import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/fake-openai.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { postForEvents } from "../sse.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/** AI settings (ADMIN), the encrypted key, daily limits, and how upstream failures reach the user. */
describe("AI settings, limits and errors", () => {
  let app: TestApp;
  let fake: FakeOpenAi;
  let admin: TestUser;
  let developer: TestUser;
  let user: TestUser;
  let assistantId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // No OPENAI_API_KEY: the key comes from the settings, as an administrator sets it.
    app = await startTestApp({
      env: {
        OPENAI_BASE_URL: fake.baseUrl,
        OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
        OPENAI_MAX_RETRIES: "0",
        OPENAI_TIMEOUT_MS: "3000",
      },
    });
    admin = await signInAs(app, "ADMIN");
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
    assistantId = (
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: `Settings ${uniqueSuffix()}` },
      })
    ).body.id;
  });
  beforeEach(async () => {
    await app.deps.db.query("delete from ai_settings");
    await app.deps.db.query("delete from ai_usage");
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  function setSettings(body: Record<string, unknown>) {
    return request(app, "PATCH", "/api/v1/ai/settings", { token: admin.token, body });
  }

  async function conversationPath(token = user.token): Promise<string> {
    const conversation = await request(app, "POST", `/api/v1/assistants/${assistantId}/conversations`, {
      token,
      body: { title: "Limits" },
    });
    return `/api/v1/assistants/${assistantId}/conversations/${conversation.body.id}/messages`;
  }

  it("stores the API key encrypted and never returns it, nor writes it to the audit trail", async () => {
    const response = await setSettings({ apiKey: fake.apiKey, defaultModel: "gpt-4o-mini", dailyRequestLimit: 50 });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      apiKeySet: true,
      apiKeySource: "settings",
      apiKeyLast4: fake.apiKey.slice(-4),
      baseUrl: fake.baseUrl,
      defaultModel: "gpt-4o-mini",
      dailyRequestLimit: 50,
    });
    expect(response.text).not.toContain(fake.apiKey);
    expect((await request(app, "GET", "/api/v1/ai/settings", { token: admin.token })).text).not.toContain(fake.apiKey);
    const row = await app.deps.db.query("select api_key_encrypted from ai_settings");
    expect(row.rows[0].api_key_encrypted).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(row.rows[0].api_key_encrypted).not.toContain(fake.apiKey.slice(8));
    const audit = await app.deps.db.query(
      "select after::text as after from audit_log where resource_type = 'ai_settings' order by id desc limit 1",
    );
    expect(audit.rows[0].after).toContain('"isApiKeyChanged": true');
    expect(audit.rows[0].after).not.toContain(fake.apiKey);
  });

  it("is ADMIN-only", async () => {
    expectProblem(await request(app, "GET", "/api/v1/ai/settings", { token: developer.token }), 403, "forbidden");
    expectProblem(
      await request(app, "PATCH", "/api/v1/ai/settings", { token: user.token, body: { defaultModel: "x" } }),
      403,
      "forbidden",
    );
    expectProblem(await request(app, "GET", "/api/v1/ai/usage", { token: developer.token }), 403, "forbidden");
  });

  it("checks the key against the server's model list, with a clear answer for a bad key", async () => {
    await setSettings({ apiKey: fake.apiKey });
    const ok = await request(app, "POST", "/api/v1/ai/settings/check", { token: admin.token });
    expect(ok.body).toEqual({ isOk: true, modelCount: 2, models: ["gpt-4o-mini", "gpt-fake"] });

    await setSettings({ apiKey: "sk-wrong-key-1234" });
    const refused = await request(app, "POST", "/api/v1/ai/settings/check", { token: admin.token });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      isOk: false,
      code: "ai_invalid_api_key",
      detail: expect.stringMatching(/refused the API key/),
    });
    await setSettings({ apiKey: null });
    expect((await request(app, "POST", "/api/v1/ai/settings/check", { token: admin.token })).body).toMatchObject({
      isOk: false,
      code: "ai_not_configured",
    });
  });

  it("answers 503 ai_not_configured without any key, and 502 ai_invalid_api_key for a refused one, storing nothing", async () => {
    const path = await conversationPath();
    expectProblem(
      await request(app, "POST", path, { token: user.token, body: { content: "Hello" } }),
      503,
      "ai_not_configured",
    );

    await setSettings({ apiKey: "sk-wrong-key-1234" });
    const response = await postForEvents(app, path, { token: user.token, body: { content: "Hello" } });
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text).code).toBe("ai_invalid_api_key");
    const conversationId = path.split("/")[6];
    const stored = await app.deps.db.query("select count(*)::int as n from messages where conversation_id = $1", [
      conversationId,
    ]);
    expect(stored.rows[0].n).toBe(0);
  });

  it("maps exhausted credit to 503 ai_quota_exhausted and a rate limit to 429 ai_rate_limited with Retry-After", async () => {
    await setSettings({ apiKey: fake.apiKey });
    const path = await conversationPath();
    fake.script({ error: "insufficient_quota" }, { error: "rate_limit_exceeded", retryAfterSeconds: 9 });

    const quota = expectProblem(
      await request(app, "POST", path, { token: user.token, body: { content: "Hello" } }),
      503,
      "ai_quota_exhausted",
    );
    expect(quota.detail).toMatch(/no credit left/);
    const limited = await request(app, "POST", path, { token: user.token, body: { content: "Hello" } });
    expectProblem(limited, 429, "ai_rate_limited");
    expect(limited.headers.get("retry-after")).toBe("9");
  });

  it("maps an unreachable server to 503 ai_unavailable", async () => {
    const closedPort = await freeLoopbackPort();
    await setSettings({ apiKey: fake.apiKey, baseUrl: `http://127.0.0.1:${closedPort}/v1` });
    const problem = expectProblem(
      await request(app, "POST", await conversationPath(), { token: user.token, body: { content: "Hello" } }),
      503,
      "ai_unavailable",
    );
    expect(problem.detail).toMatch(/cannot be reached/);
  });

  it("turns a failure in the middle of a stream into an error event", async () => {
    await setSettings({ apiKey: fake.apiKey });
    fake.script({ dropAfterText: "The controls that failed are" });

    const response = await postForEvents(app, await conversationPath(), {
      token: user.token,
      body: { content: "Which controls failed?" },
    });

    expect(response.status).toBe(200);
    expect(
      response.events
        .filter((event) => event.event === "delta")
        .map((event) => event.data.text)
        .join(""),
    ).toBe("The controls that failed are");
    expect(response.events.at(-1)).toMatchObject({ event: "error", data: { status: 503, code: "ai_unavailable" } });
  });

  it("stops asking the model when the browser goes away in the middle of an answer", async () => {
    await setSettings({ apiKey: fake.apiKey });
    const path = await conversationPath();
    fake.script({
      text: "A long answer that the user stops reading after the first words.",
      chunkSize: 2,
      chunkDelayMs: 40,
    });
    const aborter = new AbortController();

    const response = await fetch(`${app.baseUrl}${path}`, {
      method: "POST",
      signal: aborter.signal,
      headers: {
        authorization: `Bearer ${user.token}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ content: "Tell me everything" }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    aborter.abort();

    await expect.poll(() => fake.chatRequests().at(-1)!.wasAbandoned, { timeout: 5_000 }).toBe(true);
    const conversationId = path.split("/")[6];
    const roles = await app.deps.db.query("select role from messages where conversation_id = $1 order by seq", [
      conversationId,
    ]);
    expect(roles.rows.map((row) => row.role)).toEqual(["user"]);
  });

  it("refuses a second turn in a conversation while the first is still answering, with 409 conversation_busy", async () => {
    await setSettings({ apiKey: fake.apiKey });
    const path = await conversationPath();
    fake.script({ text: "A slow answer, written word by word.", chunkSize: 4, chunkDelayMs: 30 }, { text: "Next." });

    const first = postForEvents(app, path, { token: user.token, body: { content: "First" } });
    await expect.poll(() => fake.chatRequests().at(-1)?.body.messages.at(-1).content, { timeout: 5_000 }).toBe("First");
    expectProblem(
      await request(app, "POST", path, { token: user.token, body: { content: "Second" } }),
      409,
      "conversation_busy",
    );

    expect((await first).events.at(-1)!.event).toBe("done");
    expect((await request(app, "POST", path, { token: user.token, body: { content: "Third" } })).status).toBe(200);
  });

  it("refuses with 429 ai_limit_reached once a user has used the daily requests, before calling the server", async () => {
    await setSettings({ apiKey: fake.apiKey, dailyRequestLimit: 1 });
    const path = await conversationPath();
    fake.script({ text: "First answer." });
    expect((await request(app, "POST", path, { token: user.token, body: { content: "One" } })).status).toBe(200);
    const sent = fake.chatRequests().length;

    const refused = await request(app, "POST", path, { token: user.token, body: { content: "Two" } });

    const problem = expectProblem(refused, 429, "ai_limit_reached");
    expect(problem.detail).toMatch(/1 requests for today/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fake.chatRequests()).toHaveLength(sent);
    // Another user still has their own allowance.
    fake.script({ text: "Yours." });
    expect(
      (
        await request(app, "POST", await conversationPath(developer.token), {
          token: developer.token,
          body: { content: "Mine" },
        })
      ).status,
    ).toBe(200);
  });

  it("enforces the daily token limit and reports usage per user", async () => {
    await setSettings({ apiKey: fake.apiKey, dailyTokenLimit: 100 });
    const path = await conversationPath();
    fake.script({ text: "Long answer.", usage: { prompt_tokens: 90, completion_tokens: 15 } });
    await request(app, "POST", path, { token: user.token, body: { content: "One" } });

    expectProblem(
      await request(app, "POST", path, { token: user.token, body: { content: "Two" } }),
      429,
      "ai_limit_reached",
    );
    const mine = await request(app, "GET", "/api/v1/ai/usage/me", { token: user.token });
    expect(mine.body).toMatchObject({ requests: 1, tokens: 105, dailyTokenLimit: 100 });
    const report = await request(app, "GET", `/api/v1/ai/usage?userId=${user.id}`, { token: admin.token });
    expect(report.body.items).toEqual([
      {
        userId: user.id,
        username: user.username,
        day: new Date().toISOString().slice(0, 10),
        requests: 1,
        promptTokens: 90,
        completionTokens: 15,
      },
    ]);
  });

  it("refuses to chat with a disabled assistant: 409 for its managers, 404 for users", async () => {
    await setSettings({ apiKey: fake.apiKey });
    const disabled = (
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: `Off ${uniqueSuffix()}` },
      })
    ).body;
    const conversation = (
      await request(app, "POST", `/api/v1/assistants/${disabled.id}/conversations`, {
        token: developer.token,
        body: {},
      })
    ).body;
    await request(app, "PATCH", `/api/v1/assistants/${disabled.id}`, {
      token: developer.token,
      body: { isEnabled: false },
    });

    const path = `/api/v1/assistants/${disabled.id}/conversations/${conversation.id}/messages`;
    expectProblem(
      await request(app, "POST", path, { token: developer.token, body: { content: "Hello" } }),
      409,
      "assistant_disabled",
    );
    expectProblem(
      await request(app, "POST", `/api/v1/assistants/${disabled.id}/conversations`, { token: user.token, body: {} }),
      404,
      "not_found",
    );
  });
});

/** OPENAI_BASE_URL is the operator's and trusted as configured; a URL an administrator types is guarded. */
describe("AI settings: the configured server URL and the outbound guard", () => {
  let app: TestApp;
  let fake: FakeOpenAi;
  let admin: TestUser;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // No OUTBOUND_ALLOW_HOSTS: a loopback URL typed into the settings is refused.
    app = await startTestApp({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_MAX_RETRIES: "0" } });
    admin = await signInAs(app, "ADMIN");
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it("accepts the form sending back OPENAI_BASE_URL with a new key, and keeps it as not set here", async () => {
    const shown = await request(app, "GET", "/api/v1/ai/settings", { token: admin.token });
    expect(shown.body.baseUrl).toBe(fake.baseUrl.replace(/\/$/, ""));

    const saved = await request(app, "PATCH", "/api/v1/ai/settings", {
      token: admin.token,
      body: { apiKey: "sk-test-0000", baseUrl: shown.body.baseUrl },
    });

    expect(saved.status, saved.text).toBe(200);
    const stored = await app.deps.db.query<{ base_url: string | null }>("select base_url from ai_settings");
    expect(stored.rows[0]?.base_url ?? null).toBeNull();
  });

  it("refuses another loopback URL typed into the settings with 422 url_not_allowed", async () => {
    const port = new URL(fake.baseUrl).port;
    expectProblem(
      await request(app, "PATCH", "/api/v1/ai/settings", {
        token: admin.token,
        body: { baseUrl: `http://127.0.0.1:${Number(port) + 1}/v1` },
      }),
      422,
      "url_not_allowed",
    );
  });
});
