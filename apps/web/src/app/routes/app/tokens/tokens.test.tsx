// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildApiToken, buildCatalog, buildControl, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function tokensHandler(page = buildPage([buildApiToken()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/tokens", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("API tokens page", () => {
  it("lists the user's tokens and asks for revoked ones only when the toggle is on", async () => {
    const requests = tokensHandler(buildPage([buildApiToken({ name: "CI pipeline", prefix: "st_abc" })]));
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/CI pipeline.*st_abc….*Active/);
    expect(requests[0]!.has("includeRevoked")).toBe(false);

    await user.click(screen.getByLabelText("Show revoked tokens"));
    await waitFor(() => expect(requests.at(-1)!.get("includeRevoked")).toBe("true"));
  });

  it("puts the server's field errors on the create form", async () => {
    tokensHandler();
    server.use(
      http.post("/api/v1/tokens", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.name", message: "Too long" }],
        }),
      ),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New token" }));
    const dialog = await screen.findByRole("dialog", { name: "New API token" });
    await user.type(within(dialog).getByLabelText("Name"), "CI");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));

    await waitFor(() => expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription(/Too long/));
  });

  it("shows the new secret once, with a copy button and a warning", async () => {
    tokensHandler();
    const created = { ...buildApiToken({ name: "Deploy", expiresAt: null }), token: "st_secret_value" };
    let body: unknown;
    server.use(
      http.post("/api/v1/tokens", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New token" }));
    const form = await screen.findByRole("dialog");
    await user.type(within(form).getByLabelText("Name"), "Deploy");
    await user.selectOptions(within(form).getByLabelText("Expires after"), "Never");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    const dialog = await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(body).toEqual({ name: "Deploy", expiresInDays: null });
    expect(within(dialog).getByLabelText("Token")).toHaveValue("st_secret_value");
    expect(dialog).toHaveTextContent("You will not see it again");
    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    expect(await within(dialog).findByRole("button", { name: "Copied" })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe("st_secret_value");
  });

  it("revokes a token after confirmation and shows a failure in the dialog", async () => {
    const token = buildApiToken({ name: "Old" });
    tokensHandler(buildPage([token]));
    server.use(
      http.delete(`/api/v1/tokens/${token.id}`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found", detail: "The token no longer exists" }),
      ),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "Revoke Old" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The token no longer exists");
  });

  /** The catalogs and controls the limit pickers offer. */
  function limitOptionsHandler() {
    const catalog = buildCatalog({ name: "Security" });
    const control = buildControl({ name: "Branch protection", catalogId: catalog.id });
    const other = buildControl({ name: "Backups", catalogId: catalog.id });
    server.use(
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([catalog]))),
      http.get("/api/v1/controls", () => HttpResponse.json(buildPage([control, other]))),
    );
    return { catalog, control, other };
  }

  function createHandler() {
    const bodies: unknown[] = [];
    server.use(
      http.post("/api/v1/tokens", async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ ...buildApiToken({ name: "CI" }), token: "stt_secret" }, { status: 201 });
      }),
    );
    return bodies;
  }

  it("creates a scoped token limited to the picked catalog and control", async () => {
    tokensHandler();
    const { catalog, control } = limitOptionsHandler();
    const bodies = createHandler();
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New token" }));
    const form = await screen.findByRole("dialog", { name: "New API token" });
    expect(within(form).queryByLabelText("Limit to catalogs")).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText("Name"), "CI");
    await user.click(within(form).getByRole("checkbox", { name: /read/ }));
    await user.click(within(form).getByRole("checkbox", { name: /runs:write/ }));
    await user.selectOptions(await within(form).findByLabelText("Limit to catalogs"), "Security");
    await within(form).findByRole("option", { name: "Security · Branch protection" });
    await user.selectOptions(within(form).getByLabelText("Limit to controls"), "Security · Branch protection");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(bodies).toEqual([
      {
        name: "CI",
        expiresInDays: 90,
        scopes: ["read", "runs:write"],
        limits: { catalogIds: [catalog.id], controlIds: [control.id] },
      },
    ]);
  });

  it("opens the form filled in from a link asking for an evidence:write token for one control", async () => {
    tokensHandler();
    const { control } = limitOptionsHandler();
    const bodies = createHandler();
    const { user } = renderApp(`/api-tokens?scopes=evidence:write,bogus&controlId=${control.id}`, {
      me: buildMe({ role: "USER" }),
    });

    const form = await screen.findByRole("dialog", { name: "New API token" });
    expect(within(form).getByRole("checkbox", { name: /evidence:write/ })).toBeChecked();
    expect(within(form).getByRole("checkbox", { name: /read/ })).not.toBeChecked();
    await waitFor(() =>
      expect(within(form).getByRole("option", { name: "Security · Branch protection" })).toHaveProperty(
        "selected",
        true,
      ),
    );
    await user.type(within(form).getByLabelText("Name"), "Pipeline");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(bodies).toEqual([
      { name: "Pipeline", expiresInDays: 90, scopes: ["evidence:write"], limits: { controlIds: [control.id] } },
    ]);
  });

  it("shows each token's scopes and limits, and full access for a token without scopes", async () => {
    tokensHandler(
      buildPage([
        buildApiToken({ name: "Pusher", scopes: ["evidence:write"], limits: { controlIds: [crypto.randomUUID()] } }),
        buildApiToken({ name: "Legacy" }),
      ]),
    );
    renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/Pusher.*evidence:write.*Limited to 1 control/);
    expect(rows[1]).toHaveTextContent(/Legacy.*Full access/);
  });

  it("shows how to connect an MCP client, with ready-to-copy configurations for this origin", async () => {
    tokensHandler();
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    const section = await screen.findByRole("region", { name: "Connect an AI agent (MCP)" });
    const endpoint = `${window.location.origin}/api/v1/mcp`;
    expect(within(section).getByLabelText("MCP endpoint")).toHaveValue(endpoint);
    const http = JSON.parse(within(section).getByText(/"type": "http"/).textContent);
    expect(http.mcpServers.status).toMatchObject({ type: "http", url: endpoint });
    expect(http.mcpServers.status.headers.Authorization).toMatch(/^Bearer stt_/);
    const stdio = JSON.parse(within(section).getByText(/"command": "npm"/).textContent);
    expect(stdio.mcpServers.status.args).toContain("mcp:stdio");
    expect(stdio.mcpServers.status.env.STATUS_API_URL).toBe(window.location.origin);

    await user.click(within(section).getByRole("button", { name: "Copy Streamable HTTP configuration" }));
    await expect(navigator.clipboard.readText()).resolves.toContain(endpoint);
  });
});
