// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildMashup, buildMe, buildPage, buildScope } from "@/testing/factories.ts";
import { buildFramework, buildFrameworkDetail, buildRequirementNode } from "@/testing/framework-factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse, scopesHandler } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const framework = buildFrameworkDetail({
  name: "NIST LOW",
  version: "5",
  requirementCount: 3,
  groups: [
    { id: "ac", title: "Access Control", parentId: null, requirementCount: 2 },
    { id: "cm", title: "Configuration Management", parentId: null, requirementCount: 1 },
  ],
});
const ac2 = buildRequirementNode({
  frameworkId: framework.id,
  children: [
    buildRequirementNode({ frameworkId: framework.id, key: "ac-2.1", label: "AC-2(1)", title: "Automated", depth: 1 }),
  ],
});
const cm3 = buildRequirementNode({
  frameworkId: framework.id,
  key: "cm-3",
  label: "CM-3",
  title: "Change Control",
  groupId: "cm",
  groupTitle: "Configuration Management",
});
const catalog = buildCatalog({ name: "LOW baseline" });

function apiHandlers({ frameworks = [buildFramework({ ...framework })] } = {}) {
  const posted: any[] = [];
  server.use(
    mashupsHandler([buildMashup()]),
    scopesHandler([buildScope()]),
    controlStatesHandler(catalog.id),
    http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage(frameworks))),
    http.get(`/api/v1/frameworks/${framework.id}`, () => HttpResponse.json(framework)),
    http.get(`/api/v1/frameworks/${framework.id}/requirements`, () =>
      HttpResponse.json({ ...buildPage([ac2, cm3]), matchCount: 3 }),
    ),
    http.get("/api/v1/requirements", () => {
      const { isMatch: _isMatch, children: _children, ...flat } = cm3;
      return HttpResponse.json(buildPage([{ ...flat, frameworkName: "NIST LOW", frameworkVersion: "5" }]));
    }),
    http.post(`/api/v1/frameworks/${framework.id}/catalogs`, async ({ request }) => {
      posted.push(await request.json());
      return HttpResponse.json({ catalog, controlCount: 3, mappingCount: 3 }, { status: 201 });
    }),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([catalog]))),
  );
  return posted;
}

async function chooseFramework(user: ReturnType<typeof renderApp>["user"]) {
  await user.selectOptions(await screen.findByLabelText("Framework"), "NIST LOW 5 (3 requirements)");
  await waitFor(() => expect(screen.getByRole("button", { name: "Next" })).toBeEnabled());
  await user.click(screen.getByRole("button", { name: "Next" }));
}

describe("new catalog from a framework", () => {
  it("is offered from the wizard's first step", async () => {
    apiHandlers();
    const { user, router } = renderApp("/catalogs/new", { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("link", { name: "New catalog from framework" }));
    await waitFor(() => expect(currentUrl(router).search).toBe("?from=framework"));
    expect(await screen.findByRole("heading", { name: "New catalog from a framework" })).toBeInTheDocument();
  });

  it("turns a whole framework into draft controls: preview, then one request that creates the catalog", async () => {
    const posted = apiHandlers();
    const { user, router } = renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "DEVELOPER" }) });

    await chooseFramework(user);
    await user.click(screen.getByRole("button", { name: "Preview" }));
    const table = await screen.findByRole("table", { name: "Draft controls" });
    expect(
      within(table)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      expect.stringMatching(/^AC-2Account Management/),
      expect.stringMatching(/^AC-2\(1\)Automated/),
      expect.stringMatching(/^CM-3Change Control/),
    ]);
    expect(screen.getByText("3 draft controls")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Name"), "LOW baseline");
    await user.selectOptions(screen.getByLabelText("Period of the controls"), "Daily");
    await user.click(screen.getByRole("button", { name: "Create catalog with 3 draft controls" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}`));
    expect(posted).toEqual([
      expect.objectContaining({
        name: "LOW baseline",
        period: "DAILY",
        threshold: 100,
        relationship: "equivalent-to",
        selection: { all: true, groupIds: [], requirementIds: [] },
      }),
    ]);
  });

  it("previews only the picked groups, enhancements included", async () => {
    const posted = apiHandlers();
    const { user } = renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "DEVELOPER" }) });
    await chooseFramework(user);
    await user.click(screen.getByRole("radio", { name: /Whole groups/ }));
    expect(screen.getByRole("button", { name: "Preview" })).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Access Control (2)" }));
    await user.click(screen.getByRole("button", { name: "Preview" }));

    const table = await screen.findByRole("table", { name: "Draft controls" });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(table).not.toHaveTextContent("CM-3");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Name"), "Access");
    await user.click(screen.getByRole("button", { name: "Create catalog with 2 draft controls" }));
    await waitFor(() => expect(posted[0]?.selection).toEqual({ all: false, groupIds: ["ac"], requirementIds: [] }));
  });

  it("picks single requirements through a search in the framework", async () => {
    const posted = apiHandlers();
    const { user } = renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "DEVELOPER" }) });
    await chooseFramework(user);
    await user.click(screen.getByRole("radio", { name: /Single requirements/ }));
    await user.type(screen.getByLabelText("Search requirements"), "change");
    await user.click(await screen.findByRole("checkbox", { name: "CM-3 Change Control" }));
    await user.click(screen.getByRole("button", { name: "Preview" }));
    expect(await screen.findByText("1 draft control")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Name"), "Change");
    await user.click(screen.getByRole("button", { name: "Create catalog with 1 draft control" }));
    await waitFor(() => expect(posted[0]?.selection).toEqual({ all: false, groupIds: [], requirementIds: [cm3.id] }));
  });

  it("puts the server's field errors on the form", async () => {
    apiHandlers();
    server.use(
      http.post(`/api/v1/frameworks/${framework.id}/catalogs`, () =>
        problemResponse({
          status: 409,
          code: "duplicate",
          title: "Duplicate",
          detail: "A catalog with this name exists",
          errors: [{ path: "body.name", message: "Already used by another catalog" }],
        }),
      ),
    );
    const { user } = renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "DEVELOPER" }) });
    await chooseFramework(user);
    await user.click(screen.getByRole("button", { name: "Preview" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Name"), "Dup");
    await user.click(screen.getByRole("button", { name: /Create catalog/ }));
    await waitFor(() =>
      expect(screen.getByLabelText("Name")).toHaveAccessibleDescription("Already used by another catalog"),
    );
  });

  it("says when no framework is imported yet", async () => {
    apiHandlers({ frameworks: [] });
    renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "DEVELOPER" }) });
    expect(await screen.findByText(/No framework is imported yet/)).toBeInTheDocument();
  });

  it("is closed to a USER", async () => {
    apiHandlers();
    renderApp("/catalogs/new?from=framework", { me: buildMe({ role: "USER" }) });
    expect(await screen.findByText("You do not have access to this page")).toBeInTheDocument();
    expect(screen.queryByLabelText("Framework")).not.toBeInTheDocument();
  });
});
