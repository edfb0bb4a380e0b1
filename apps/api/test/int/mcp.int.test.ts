import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Catalog, Control } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const DAY_MS = 86_400_000;

/** The value below which `share` (0–1) of the sorted values lie (nearest rank). */
function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/** The MCP server at /api/v1/mcp, driven by the official SDK client over Streamable HTTP against the real app. */
describe("MCP server over Streamable HTTP", () => {
  let app: TestApp;
  let developer: TestUser;
  let publicUrl: string;
  let failing: { catalog: Catalog; control: Control };
  let passing: { catalog: Catalog; control: Control };
  const clients: Client[] = [];

  /** A failing and a passing control, each with three computed days. */
  async function computedControl(mashupId: string) {
    const start = new Date(Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS * 8).toISOString();
    const built = await createEvaluableControl(app, developer.token, { mashupId, startDate: start });
    const to = Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS;
    const created = await startRuns(app, developer.token, built.control.id, {
      from: new Date(to - DAY_MS * 3).toISOString(),
      to: new Date(to).toISOString(),
    });
    await waitForBatch(app, developer.token, created.batch.id);
    return built;
  }

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: { PUBLIC_URL: "https://status.example.test" },
    });
    publicUrl = app.deps.config.publicUrl;
    developer = await signInAs(app, "DEVELOPER");
    failing = await computedControl("test-fail");
    passing = await computedControl("test-pass");
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await app?.close();
  });

  async function tokenWith(body: Record<string, unknown> = {}, user = developer): Promise<string> {
    const response = await request(app, "POST", "/api/v1/tokens", {
      token: user.token,
      body: { name: `mcp ${uniqueSuffix()}`, ...body },
    });
    if (response.status !== 201) throw new Error(`creating a token failed: ${response.status} ${response.text}`);
    return response.body.token as string;
  }

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: "status-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${app.baseUrl}/api/v1/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent: any };

  it("answers 401 problem+json without a token, and with a session's token", async () => {
    const body = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const headers = { accept: "application/json, text/event-stream" };

    const anonymous = await request(app, "POST", "/api/v1/mcp", { body, headers });
    const session = await request(app, "POST", "/api/v1/mcp", { body, headers, token: developer.token });

    expectProblem(anonymous, 401, "unauthenticated");
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expectProblem(session, 401, "token_invalid");
    expectProblem(await request(app, "GET", "/api/v1/mcp", { token: await tokenWith() }), 405, "method_not_allowed");
  });

  it("lists the seven tools and answers list_catalogs with data and absolute links", async () => {
    const client = await connect(await tokenWith({ scopes: ["read"] }));

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "catalog_compliance",
      "control_evidence",
      "failing_controls",
      "list_catalogs",
      "run_control",
      "search_knowledge",
      "verify_chain",
    ]);
    const result = await call(client, "list_catalogs", { q: failing.catalog.name, pageSize: 10 });

    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.items).toHaveLength(1);
    expect(result.structuredContent.items[0]).toMatchObject({
      id: failing.catalog.id,
      name: failing.catalog.name,
      links: {
        app: `${publicUrl}/catalogs/${failing.catalog.id}`,
        api: `${publicUrl}/api/v1/catalogs/${failing.catalog.id}`,
      },
    });
    expect(publicUrl).toBe("https://status.example.test");
    expect((result.content[0] as { text: string }).text).toContain(failing.catalog.name);
  });

  it("answers catalog_compliance, failing_controls, control_evidence and verify_chain from the computed points", async () => {
    const client = await connect(await tokenWith({ scopes: ["read"] }));

    const failingCompliance = await call(client, "catalog_compliance", { catalogId: failing.catalog.id });
    const passingCompliance = await call(client, "catalog_compliance", { catalogId: passing.catalog.id });
    const failures = await call(client, "failing_controls", { catalogId: failing.catalog.id });
    const noFailures = await call(client, "failing_controls", { catalogId: passing.catalog.id });
    const evidence = await call(client, "control_evidence", { controlId: failing.control.id, limit: 2 });
    const chain = await call(client, "verify_chain", { controlId: passing.control.id });

    expect(failingCompliance.structuredContent.summary).toMatchObject({ pointCount: 3, failCount: 3, compliance: 0 });
    expect(passingCompliance.structuredContent.summary).toMatchObject({ pointCount: 3, passCount: 3, compliance: 100 });
    expect(passingCompliance.structuredContent.items[0].links.app).toBe(
      `${publicUrl}/catalogs/${passing.catalog.id}/controls/${passing.control.id}`,
    );
    expect(failures.structuredContent.items.map((item: { controlId: string }) => item.controlId)).toEqual([
      failing.control.id,
    ]);
    expect(noFailures.structuredContent.items).toEqual([]);
    expect(evidence.structuredContent.computations).toHaveLength(2);
    expect(evidence.structuredContent.newestEvidences.length).toBeGreaterThan(0);
    expect(evidence.structuredContent.newestEvidences.some((item: { result: string }) => item.result === "fail")).toBe(
      true,
    );
    expect(chain.structuredContent).toMatchObject({ controlId: passing.control.id, isIntact: true, pointCount: 3 });
  });

  it("refuses run_control to a read token with an MCP error result, and queues runs for a runs:write token", async () => {
    const reader = await connect(await tokenWith({ scopes: ["read"] }));
    const runner = await connect(await tokenWith({ scopes: ["read", "runs:write"] }));

    const refused = await call(reader, "run_control", { controlId: passing.control.id });
    const queued = await call(runner, "run_control", { controlId: passing.control.id });

    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.problem).toMatchObject({ status: 403, code: "token_scope_insufficient" });
    expect((refused.content[0] as { text: string }).text).toContain("token_scope_insufficient");
    expect(queued.isError).toBeFalsy();
    expect(queued.structuredContent.runs.length).toBeGreaterThan(0);
    expect(queued.structuredContent.links.batch).toBe(
      `${publicUrl}/api/v1/run-batches/${queued.structuredContent.batch.id}`,
    );
  });

  it("keeps a limited token within its catalog, and answers an unknown control with a 404 error result", async () => {
    const client = await connect(await tokenWith({ scopes: ["read"], limits: { catalogIds: [passing.catalog.id] } }));

    const inside = await call(client, "verify_chain", { controlId: passing.control.id });
    const outside = await call(client, "catalog_compliance", { catalogId: failing.catalog.id });
    const list = await call(client, "list_catalogs");
    const unknown = await call(client, "control_evidence", { controlId: crypto.randomUUID() });

    expect(inside.isError).toBeFalsy();
    expect(outside.structuredContent.problem.code).toBe("token_scope_insufficient");
    expect(list.structuredContent.problem.code).toBe("token_scope_insufficient");
    expect(unknown.structuredContent.problem).toMatchObject({ status: 404, code: "not_found" });
  });

  it("searches an assistant's knowledge base", async () => {
    const assistant = (
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: `KB ${uniqueSuffix()}` },
      })
    ).body;
    const policy = "# Backups\n\nEvery database is backed up nightly and restored in a drill each quarter.";
    const uploaded = await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, {
      token: developer.token,
      body: {
        filename: "policy.md",
        contentType: "text/markdown",
        contentBase64: Buffer.from(policy).toString("base64"),
      },
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    const client = await connect(await tokenWith({ scopes: ["read"] }));

    const hits = await call(client, "search_knowledge", { assistantId: assistant.id, q: "restore drill" });
    const misses = await call(client, "search_knowledge", { assistantId: assistant.id, q: "kubernetes" });

    expect(hits.structuredContent.items).toHaveLength(1);
    expect(hits.structuredContent.items[0]).toMatchObject({ filename: "policy.md" });
    expect(misses.structuredContent.items).toEqual([]);
  });

  it("serves the catalog and control resources", async () => {
    const client = await connect(await tokenWith({ scopes: ["read"] }));

    const catalog = await client.readResource({ uri: `status://catalogs/${failing.catalog.id}` });
    const control = await client.readResource({ uri: `status://controls/${failing.control.id}` });

    const catalogData = JSON.parse((catalog.contents[0] as { text: string }).text);
    const controlData = JSON.parse((control.contents[0] as { text: string }).text);
    expect(catalogData).toMatchObject({
      id: failing.catalog.id,
      links: { app: `${publicUrl}/catalogs/${failing.catalog.id}` },
    });
    expect(catalogData.controlStates.items.map((state: { controlId: string }) => state.controlId)).toEqual([
      failing.control.id,
    ]);
    expect(controlData).toMatchObject({ id: failing.control.id, catalogId: failing.catalog.id });
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      "status://catalogs/{id}",
      "status://controls/{id}",
    ]);
  });

  it("measures the latency of list_catalogs and catalog_compliance (p50 over 100 calls each) beside their REST routes", async () => {
    const token = await tokenWith({ scopes: ["read"] });
    const client = await connect(token);
    const catalogId = failing.catalog.id;
    const calls: Record<string, () => Promise<boolean>> = {
      list_catalogs: async () => !(await call(client, "list_catalogs")).isError,
      catalog_compliance: async () => !(await call(client, "catalog_compliance", { catalogId })).isError,
      "GET /catalogs": async () => (await request(app, "GET", "/api/v1/catalogs", { token })).status === 200,
      "GET /registry/compliance": async () =>
        (await request(app, "GET", `/api/v1/registry/compliance?catalog_id=${catalogId}`, { token })).status === 200,
    };
    const timings: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((name) => [name, []]));
    for (let index = 0; index < 100; index += 1) {
      for (const [name, send] of Object.entries(calls)) {
        const started = performance.now();
        expect(await send()).toBe(true);
        timings[name]!.push(performance.now() - started);
      }
    }
    const summary = Object.fromEntries(
      Object.entries(timings).map(([name, values]) => [
        name,
        { p50: Number(percentile(values, 0.5).toFixed(1)), p95: Number(percentile(values, 0.95).toFixed(1)) },
      ]),
    );
    console.log(`MCP tool call latency beside the REST routes (ms): ${JSON.stringify(summary)}`);
  });
});
