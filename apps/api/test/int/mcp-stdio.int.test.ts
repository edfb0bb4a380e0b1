import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The stdio entry point, spawned as a desktop client would, relaying to the running app's /api/v1/mcp. */
describe("MCP stdio entry point", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function spawnClient(env: Record<string, string>) {
    const transport = new StdioClientTransport({
      command: path.join(apiDir, "node_modules/.bin/tsx"),
      args: [path.join(apiDir, "src/mcp/stdio.ts")],
      env: { PATH: process.env.PATH ?? "", ...env },
      stderr: "pipe",
    });
    const client = new Client({ name: "status-stdio-test", version: "1.0.0" });
    await client.connect(transport);
    return client;
  }

  async function tokenWith(body: Record<string, unknown>): Promise<string> {
    const response = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: `stdio ${uniqueSuffix()}`, ...body },
    });
    return response.body.token as string;
  }

  it("lists catalogs and refuses run_control to a read token, as the HTTP endpoint does", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const control = await createControlVia(app, developer.token, catalog.id);
    const client = await spawnClient({
      STATUS_API_URL: app.baseUrl,
      STATUS_API_TOKEN: await tokenWith({ scopes: ["read"] }),
    });
    try {
      const listed = (await client.callTool({
        name: "list_catalogs",
        arguments: { q: catalog.name },
      })) as CallToolResult;
      const refused = (await client.callTool({
        name: "run_control",
        arguments: { controlId: control.id },
      })) as CallToolResult;

      expect((listed.structuredContent as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([
        catalog.id,
      ]);
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ problem: { code: "token_scope_insufficient" } });
    } finally {
      await client.close();
    }
  }, 60_000);

  it("answers every request with an error when the token is refused", async () => {
    const transport = new StdioClientTransport({
      command: path.join(apiDir, "node_modules/.bin/tsx"),
      args: [path.join(apiDir, "src/mcp/stdio.ts")],
      env: { PATH: process.env.PATH ?? "", STATUS_API_URL: app.baseUrl, STATUS_API_TOKEN: "stt_revoked-or-unknown" },
      stderr: "pipe",
    });
    const client = new Client({ name: "status-stdio-test", version: "1.0.0" });

    await expect(client.connect(transport)).rejects.toThrow(/401|token/i);
    await client.close();
  }, 60_000);
});
