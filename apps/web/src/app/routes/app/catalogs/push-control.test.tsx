// @vitest-environment jsdom
import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildChainVerification,
  buildControl,
  buildMe,
  buildPage,
  buildScopeSet,
} from "@/testing/factories.ts";
import { controlStatesHandler, handlingHandlers, mashupsHandler, scopesHandler } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function setUp({ scopeValues }: { scopeValues?: Record<string, string> } = {}) {
  const catalog = buildCatalog({ timeZone: "UTC" });
  const control = buildControl({
    catalogId: catalog.id,
    name: "Branch protection",
    kind: "push",
    mashupId: null,
    params: {},
    status: "finalized",
  });
  const scopeSets = scopeValues ? [buildScopeSet({ controlId: control.id, values: scopeValues })] : [];
  let runRequests = 0;
  server.use(
    mashupsHandler(),
    scopesHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(buildPage(scopeSets))),
    http.get(`/api/v1/controls/${control.id}/computations`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/computation-scopes`, () => HttpResponse.json({ items: [] })),
    http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/panels`, () => HttpResponse.json({ items: [] })),
    ...handlingHandlers(control.id),
    http.get(`/api/v1/controls/${control.id}/requirements`, () => HttpResponse.json({ items: [] })),
    http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/dashboards", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () =>
      HttpResponse.json(buildChainVerification({ controlId: control.id, pointCount: 0 })),
    ),
    http.post(`/api/v1/controls/${control.id}/runs`, () => {
      runRequests += 1;
      return HttpResponse.json({}, { status: 500 });
    }),
  );
  return { control, path: `/catalogs/${catalog.id}/controls/${control.id}`, runRequests: () => runRequests };
}

describe("control page of a push control", () => {
  it("shows the endpoint and a curl with an Idempotency-Key and a body built from its scope sets, instead of running it", async () => {
    const { control, path } = setUp({ scopeValues: { team: "payments" } });
    renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByRole("heading", { name: "Push evidence" })).toBeInTheDocument();
    expect(screen.getByText(`POST /api/v1/controls/${control.id}/evidence`)).toBeInTheDocument();
    const example = screen.getByLabelText("curl example");
    await waitFor(() => expect(example.textContent).toContain('"team": "payments"'));
    expect(example.textContent).toContain(`${window.location.origin}/api/v1/controls/${control.id}/evidence`);
    expect(example.textContent).toContain('-H "Idempotency-Key: $IDEMPOTENCY_KEY"');
    expect(example.textContent).toContain('-H "Authorization: Bearer $STATUS_TOKEN"');
    const body = JSON.parse(/--data '([\s\S]*)'$/.exec(example.textContent ?? "")![1]!);
    expect(body).toEqual({
      scope: { team: "payments" },
      evidences: [{ key: "example-check", value: { checked: true }, result: "pass" }],
    });
    // No run panel: a push control is never run.
    expect(screen.queryByRole("button", { name: /^Run/ })).not.toBeInTheDocument();
    expect(screen.getByText(/A push control: no mashup and no parameters/)).toBeInTheDocument();
  });

  it("sends no scope for a control without scope sets, copies the curl, and links to a token scoped to the control", async () => {
    const { control, path } = setUp();
    const { user, router } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    const example = await screen.findByLabelText("curl example");
    expect(example.textContent).not.toContain('"scope"');
    await user.click(screen.getByRole("button", { name: "Copy curl" }));
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe(example.textContent);

    server.use(http.get("/api/v1/tokens", () => HttpResponse.json(buildPage([]))));
    await user.click(screen.getByRole("link", { name: "Create a token for this control" }));
    await waitFor(() => expect(currentUrl(router).pathname).toBe("/api-tokens"));
    const search = new URLSearchParams(currentUrl(router).search);
    expect(search.get("scopes")).toBe("evidence:write");
    expect(search.get("controlId")).toBe(control.id);
  });
});
