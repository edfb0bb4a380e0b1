// @vitest-environment jsdom
import type { ControlRequirementMapping } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildChainVerification, buildControl, buildMe, buildPage } from "@/testing/factories.ts";
import { buildFramework, buildMapping, buildRequirementNode } from "@/testing/framework-factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse, scopesHandler } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const catalog = buildCatalog({ timeZone: "UTC" });
const control = buildControl({ catalogId: catalog.id, name: "Accounts are reviewed" });
const framework = buildFramework({ name: "SOC 2", version: "2017" });
const path = `/catalogs/${catalog.id}/controls/${control.id}`;

/** The control page's own requests, and the mapping routes answering `mappings`. */
function setUp(mappings: ControlRequirementMapping[] = []) {
  const requests = { searches: [] as Record<string, string>[], posted: [] as unknown[], deleted: [] as string[] };
  server.use(
    mashupsHandler(),
    scopesHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/computations`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/panels`, () => HttpResponse.json({ items: [] })),
    http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/dashboards", () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () =>
      HttpResponse.json(buildChainVerification({ controlId: control.id, pointCount: 0 })),
    ),
    http.get(`/api/v1/controls/${control.id}/requirements`, () => HttpResponse.json({ items: mappings })),
    http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage([framework]))),
    http.get("/api/v1/requirements", ({ request }) => {
      requests.searches.push(Object.fromEntries(new URL(request.url).searchParams));
      const requirement = buildRequirementNode({ frameworkId: framework.id, key: "CC8.1", label: null });
      const { isMatch: _isMatch, children: _children, ...flat } = requirement;
      return HttpResponse.json(
        buildPage([{ ...flat, title: "Change management", frameworkName: "SOC 2", frameworkVersion: "2017" }]),
      );
    }),
    http.post(`/api/v1/controls/${control.id}/requirements`, async ({ request }) => {
      const body: any = await request.json();
      requests.posted.push(body);
      return HttpResponse.json(buildMapping({ controlId: control.id, requirementId: body.requirementId }), {
        status: 201,
      });
    }),
    http.delete(`/api/v1/controls/${control.id}/requirements/:requirementId`, ({ params }) => {
      requests.deleted.push(String(params.requirementId));
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return requests;
}

describe("control requirements", () => {
  it("lists the mapped requirements with framework, id, title, relationship and rationale", async () => {
    const mapping = buildMapping({ controlId: control.id, frameworkId: framework.id });
    setUp([mapping]);
    renderApp(path, { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table", { name: "Mapped requirements" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent(
      /NIST SP 800-53 Rev 5 LOW 5.1.1.*AC-2.*Account Management.*Subset of.*Reviews cover accounts of the CI system only/,
    );
    expect(within(row).getByRole("link")).toHaveAttribute("href", `/frameworks/${framework.id}`);
  });

  it("offers neither remove nor map to a USER", async () => {
    setUp([buildMapping({ controlId: control.id })]);
    renderApp(path, { me: buildMe({ role: "USER" }) });
    await screen.findByRole("table", { name: "Mapped requirements" });
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Map a requirement" })).not.toBeInTheDocument();
  });

  it("says when the control is mapped to nothing", async () => {
    setUp();
    renderApp(path, { me: buildMe({ role: "USER" }) });
    expect(await screen.findByText("This control is not mapped to any framework requirement.")).toBeInTheDocument();
  });

  it("shows why the mapped requirements could not be loaded", async () => {
    setUp();
    server.use(
      http.get(`/api/v1/controls/${control.id}/requirements`, () =>
        problemResponse({ status: 503, code: "service_unavailable", title: "Unavailable", detail: "No database." }),
      ),
    );
    renderApp(path, { me: buildMe({ role: "USER" }) });
    expect(await screen.findByText("The mapped requirements could not be loaded")).toBeInTheDocument();
  });

  it("searches requirements across frameworks and maps one with a relationship and rationale", async () => {
    const requests = setUp();
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    const form = await screen.findByRole("form", { name: "Map a requirement" });
    await user.type(within(form).getByLabelText("Search requirements"), "change");
    await user.click(await within(form).findByRole("radio", { name: /CC8.1 Change management \(SOC 2 2017\)/ }));
    await user.selectOptions(within(form).getByLabelText("Relationship"), "Intersects with");
    await user.type(within(form).getByLabelText("Rationale"), "Covers merges only");
    await user.click(within(form).getByRole("button", { name: "Map requirement" }));

    await waitFor(() => expect(requests.posted).toHaveLength(1));
    expect(requests.searches[0]).toMatchObject({ q: "change" });
    expect(requests.posted[0]).toEqual({
      requirementId: expect.any(String),
      relationship: "intersects-with",
      rationale: "Covers merges only",
    });
  });

  it("searches in one framework when one is picked", async () => {
    const requests = setUp();
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });
    const form = await screen.findByRole("form", { name: "Map a requirement" });
    await user.selectOptions(await within(form).findByLabelText("Framework"), "SOC 2 2017");
    await user.type(within(form).getByLabelText("Search requirements"), "cc8");
    await waitFor(() => expect(requests.searches.at(-1)).toMatchObject({ q: "cc8", frameworkId: framework.id }));
  });

  it("asks for a requirement before mapping", async () => {
    const requests = setUp();
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });
    const form = await screen.findByRole("form", { name: "Map a requirement" });
    await user.click(within(form).getByRole("button", { name: "Map requirement" }));
    expect(await within(form).findByText("Pick a requirement from the search results.")).toBeInTheDocument();
    expect(requests.posted).toHaveLength(0);
  });

  it("removes a mapping", async () => {
    const mapping = buildMapping({ controlId: control.id });
    const requests = setUp([mapping]);
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: "Remove AC-2" }));
    await waitFor(() => expect(requests.deleted).toEqual([mapping.requirementId]));
  });
});
