import { SystemCapabilitiesSchema, type IntegrationCapability } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** GET /system/capabilities: which integrations are configured, and what to set for the others. */

async function capabilities(app: TestApp): Promise<Map<string, IntegrationCapability>> {
  const user = await signInAs(app, "USER");
  const response = await request(app, "GET", "/api/v1/system/capabilities", { token: user.token });
  expect(response.status).toBe(200);
  const body = SystemCapabilitiesSchema.parse(response.body);
  return new Map(body.integrations.map((integration) => [integration.name, integration]));
}

describe("system capabilities without integrations", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { OPENAI_API_KEY: "" } });
  });
  afterAll(() => app?.close());

  it("names every integration as not configured, with the variables to set and the README section", async () => {
    const byName = await capabilities(app);

    expect([...byName.keys()]).toEqual(["grafana", "ai", "registry", "director", "github", "oidc", "smtp"]);
    expect([...byName.values()].every((integration) => !integration.isConfigured)).toBe(true);
    expect(byName.get("grafana")).toMatchObject({
      variables: ["GRAFANA_URL", "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD", "GRAFANA_SERVICE_ACCOUNT_TOKEN"],
      readmeSection: "Dashboards and Grafana",
      readmeAnchor: "dashboards-and-grafana",
    });
    expect(byName.get("ai")).toMatchObject({
      variables: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
      alternative: expect.stringContaining("Settings → AI"),
      readmeAnchor: "ai-assistants",
    });
    expect(byName.get("github")?.variables).toEqual(["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]);
  });

  it("points at README sections that exist", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../../../../README.md", import.meta.url), "utf8");
    const headings = new Set(
      [...readme.matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
        match[1]!
          .toLowerCase()
          .replace(/[^\w\s-]/g, "")
          .replace(/\s/g, "-"),
      ),
    );
    for (const integration of (await capabilities(app)).values()) {
      expect(headings, integration.name).toContain(integration.readmeAnchor);
    }
  });

  it("reports AI as configured once an administrator stores an API key in the AI settings", async () => {
    const admin = await signInAs(app, "ADMIN");
    const update = await request(app, "PATCH", "/api/v1/ai/settings", {
      token: admin.token,
      body: { apiKey: "sk-test-capabilities" },
    });
    expect(update.status).toBe(200);

    expect((await capabilities(app)).get("ai")?.isConfigured).toBe(true);

    await request(app, "PATCH", "/api/v1/ai/settings", { token: admin.token, body: { apiKey: null } });
    expect((await capabilities(app)).get("ai")?.isConfigured).toBe(false);
  });

  it("announces the MCP server as on, at the endpoint that serves it", async () => {
    const user = await signInAs(app, "USER");
    const response = await request(app, "GET", "/api/v1/system/capabilities", { token: user.token });
    const { mcp } = SystemCapabilitiesSchema.parse(response.body).features;
    expect(mcp).toEqual({ isEnabled: true, endpoint: "/api/v1/mcp" });
    // The endpoint is the MCP server's: it asks for a personal API token, where an unknown path would be a 404.
    const unauthenticated = await request(app, "POST", mcp.endpoint, {
      body: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    expect(unauthenticated.status).toBe(401);
  });

  it("needs a signed-in user", async () => {
    expectProblem(await request(app, "GET", "/api/v1/system/capabilities"), 401, "unauthenticated");
  });
});

describe("system capabilities with Grafana and GitHub configured (FAKE Grafana)", () => {
  let app: TestApp;
  let grafana: FakeGrafana;
  beforeAll(async () => {
    grafana = await startFakeGrafana();
    app = await startTestApp({
      env: {
        GRAFANA_URL: grafana.url,
        GRAFANA_SERVICE_ACCOUNT_TOKEN: grafana.token,
        GITHUB_CLIENT_ID: "client",
        GITHUB_CLIENT_SECRET: "secret",
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await grafana?.close();
  });

  it("marks them configured and the others not", async () => {
    const byName = await capabilities(app);

    expect(byName.get("grafana")?.isConfigured).toBe(true);
    expect(byName.get("github")?.isConfigured).toBe(true);
    expect(byName.get("registry")?.isConfigured).toBe(false);
  });
});
