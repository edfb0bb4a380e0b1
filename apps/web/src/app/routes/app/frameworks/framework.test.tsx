// @vitest-environment jsdom
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildCatalog, buildMe, buildPage, nextId } from "@/testing/factories.ts";
import {
  buildFrameworkCompliance,
  buildFrameworkDetail,
  buildRequirementCompliance,
  buildRequirementNode,
  buildStatusCounts,
} from "@/testing/framework-factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const framework = buildFrameworkDetail();
const catalog = buildCatalog({ name: "Production" });
const ac2 = buildRequirementNode({
  frameworkId: framework.id,
  children: [
    buildRequirementNode({ frameworkId: framework.id, key: "ac-2.1", label: "AC-2(1)", title: "Automated", depth: 1 }),
  ],
});
const cm3 = buildRequirementNode({ frameworkId: framework.id, key: "cm-3", label: "CM-3", title: "Change Control" });
const controlId = nextId();

function compliance() {
  return buildFrameworkCompliance({
    frameworkId: framework.id,
    overall: buildStatusCounts({ total: 3, satisfied: 1, notSatisfied: 1, notAssessed: 1, mapped: 2 }),
    groups: [
      {
        groupId: "ac",
        title: "Access Control",
        counts: buildStatusCounts({ total: 2, satisfied: 1, notAssessed: 1, mapped: 1 }),
      },
      { groupId: "cm", title: "Configuration Management", counts: buildStatusCounts({ total: 1, notSatisfied: 1 }) },
    ],
    requirements: [
      buildRequirementCompliance({
        requirementId: ac2.id,
        status: "satisfied",
        controls: [
          {
            controlId,
            name: "Accounts are reviewed",
            catalogId: catalog.id,
            relationship: "equivalent-to",
            status: "pass",
            passCount: 4,
            failCount: 0,
          },
        ],
      }),
      buildRequirementCompliance({ requirementId: ac2.children[0]!.id, key: "ac-2.1", status: "not-assessed" }),
      buildRequirementCompliance({ requirementId: cm3.id, key: "cm-3", status: "not-satisfied" }),
    ],
  });
}

function frameworkHandlers({ nodes = [ac2, cm3] } = {}) {
  const requirementRequests: Record<string, string>[] = [];
  const complianceRequests: Record<string, string>[] = [];
  server.use(
    http.get(`/api/v1/frameworks/${framework.id}`, () => HttpResponse.json(framework)),
    http.get(`/api/v1/frameworks/${framework.id}/requirements`, ({ request }) => {
      requirementRequests.push(Object.fromEntries(new URL(request.url).searchParams));
      return HttpResponse.json({ ...buildPage(nodes), matchCount: 3 });
    }),
    http.get(`/api/v1/frameworks/${framework.id}/compliance`, ({ request }) => {
      complianceRequests.push(Object.fromEntries(new URL(request.url).searchParams));
      return HttpResponse.json(compliance());
    }),
    http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([catalog]))),
  );
  return { requirementRequests, complianceRequests };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("framework page", () => {
  it("shows the requirement tree with each requirement's status and the controls behind it", async () => {
    frameworkHandlers();
    const { user } = renderApp(`/frameworks/${framework.id}`, { me: buildMe({ role: "USER" }) });

    const tree = await screen.findByRole("list", { name: "Requirement tree" });
    const account = within(tree).getByRole("listitem", { name: "AC-2 Account Management" });
    await waitFor(() => expect(within(account).getAllByText("Satisfied")[0]).toBeInTheDocument());
    const child = within(account).getByRole("listitem", { name: "AC-2(1) Automated" });
    expect(within(child).getByText("Not assessed")).toBeInTheDocument();
    expect(within(tree).getByRole("listitem", { name: "CM-3 Change Control" })).toHaveTextContent("Not satisfied");

    await user.click(within(account).getAllByText("Account Management")[0]!);
    const controls = within(account).getByRole("list", { name: "Mapped controls" });
    expect(within(controls).getByRole("link", { name: "Accounts are reviewed" })).toHaveAttribute(
      "href",
      `/catalogs/${catalog.id}/controls/${controlId}`,
    );
    expect(controls).toHaveTextContent(/equivalent to.*Passed \(4 passing, 0 failing\)/);
  });

  it("links the framework's Statement of Applicability for every signed-in user", async () => {
    frameworkHandlers();
    renderApp(`/frameworks/${framework.id}`, { me: buildMe({ role: "USER" }) });

    expect(await screen.findByRole("link", { name: "Statement of Applicability" })).toHaveAttribute(
      "href",
      `/frameworks/${framework.id}/statement-of-applicability`,
    );
  });

  it("draws the roll-up per group with its counts in words", async () => {
    frameworkHandlers();
    renderApp(`/frameworks/${framework.id}`, { me: buildMe() });

    const bars = await screen.findByRole("list", { name: "Roll-up per group" });
    const items = within(bars).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual([
      "All requirements1 satisfied, 1 not satisfied, 1 not assessed of 3",
      "Access Control1 satisfied, 0 not satisfied, 1 not assessed of 2",
      "Configuration Management0 satisfied, 1 not satisfied, 0 not assessed of 1",
    ]);
    expect(within(screen.getByRole("list", { name: "Legend" })).getAllByRole("listitem")).toHaveLength(3);
  });

  it("asks for the roll-up over the last 30 days by default, and over the period and catalog picked", async () => {
    const { complianceRequests } = frameworkHandlers();
    const { user, router } = renderApp(`/frameworks/${framework.id}`, { me: buildMe() });
    await screen.findByRole("list", { name: "Roll-up per group" });
    const first = complianceRequests[0]!;
    expect(Date.parse(first.to!) - Date.parse(first.from!)).toBe(30 * 24 * 60 * 60 * 1000);

    await user.selectOptions(await screen.findByLabelText("Catalog"), "Production");
    await waitFor(() => expect(complianceRequests.at(-1)).toMatchObject({ catalogId: catalog.id }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("catalogId")).toBe(catalog.id));
    await act(async () => {});
    await user.click(screen.getByRole("button", { name: "Last 90 days" }));
    await waitFor(() => {
      const last = complianceRequests.at(-1)!;
      expect(Date.parse(last.to!) - Date.parse(last.from!)).toBe(90 * 24 * 60 * 60 * 1000);
    });
    expect(currentUrl(router).searchParams.get("catalogId")).toBe(catalog.id);
  });

  it("reads the period from the URL and sends whole UTC days, the last one included", async () => {
    const { complianceRequests } = frameworkHandlers();
    renderApp(`/frameworks/${framework.id}?from=2025-01-01&to=2025-01-31`, { me: buildMe() });
    await screen.findByRole("list", { name: "Roll-up per group" });
    expect(complianceRequests[0]).toEqual({ from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" });
    expect(screen.getByLabelText("From")).toHaveValue("2025-01-01");
  });

  it("searches and filters the tree by group through the URL", async () => {
    const { requirementRequests } = frameworkHandlers();
    const { user, router } = renderApp(`/frameworks/${framework.id}`, { me: buildMe() });
    await screen.findByRole("list", { name: "Requirement tree" });

    await user.type(screen.getByLabelText("Search requirements"), "account");
    await waitFor(() => expect(requirementRequests.at(-1)).toMatchObject({ search: "account" }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("search")).toBe("account"));
    // The router commits the new address in a transition; flush it so the next change merges into it.
    await act(async () => {});
    await user.selectOptions(screen.getByLabelText("Group"), "Access Control (2)");
    await waitFor(() => expect(requirementRequests.at(-1)).toMatchObject({ search: "account", group: "ac" }));
    expect(await screen.findByText("3 matching requirements")).toBeInTheDocument();
  });

  it("says when nothing matches and clears the filters", async () => {
    const { requirementRequests } = frameworkHandlers({ nodes: [] });
    const { user } = renderApp(`/frameworks/${framework.id}?search=zzz`, { me: buildMe() });
    expect(await screen.findByText("No requirements match these filters")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(requirementRequests.at(-1)).not.toHaveProperty("search"));
  });

  it("keeps the tree when the roll-up fails, and shows why", async () => {
    frameworkHandlers();
    server.use(
      http.get(`/api/v1/frameworks/${framework.id}/compliance`, () =>
        problemResponse({ status: 503, code: "service_unavailable", title: "Unavailable", detail: "No database." }),
      ),
    );
    renderApp(`/frameworks/${framework.id}`, { me: buildMe() });
    expect(await screen.findByText("The roll-up could not be loaded")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Requirement tree" })).toBeInTheDocument();
  });

  it("exports the framework as an OSCAL catalog and the picked catalog's mappings as a download", async () => {
    frameworkHandlers();
    const mappingQueries: Record<string, string>[] = [];
    const mappingCollection = { "mapping-collection": { uuid: "m" } };
    server.use(
      http.get(`/api/v1/frameworks/${framework.id}/oscal`, () => HttpResponse.json({ catalog: { uuid: "c" } })),
      http.get(`/api/v1/frameworks/${framework.id}/mappings`, ({ request }) => {
        mappingQueries.push(Object.fromEntries(new URL(request.url).searchParams));
        return HttpResponse.json(mappingCollection);
      }),
    );
    vi.stubGlobal(
      "URL",
      Object.assign(URL, { createObjectURL: () => "blob:export", revokeObjectURL: () => undefined }),
    );
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const { user } = renderApp(`/frameworks/${framework.id}?catalogId=${catalog.id}`, { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Export OSCAL catalog" }));
    await waitFor(() => expect(names).toEqual(["nist-sp-800-53-rev-5-low-5-1-1-catalog.json"]));
    await user.click(screen.getByRole("button", { name: "Export mappings" }));
    await waitFor(() => expect(names).toHaveLength(2));
    expect(names[1]).toBe("nist-sp-800-53-rev-5-low-5-1-1-mappings.json");
    expect(mappingQueries).toEqual([{ catalogId: catalog.id }]);
  });

  it("imports an OSCAL mapping-collection: the dry run's counts first, then the result (DEVELOPER)", async () => {
    frameworkHandlers();
    const calls: { dryRun: string | null; body: any }[] = [];
    server.use(
      http.post(`/api/v1/frameworks/${framework.id}/mappings`, async ({ request }) => {
        const dryRun = new URL(request.url).searchParams.get("dryRun");
        calls.push({ dryRun, body: await request.json() });
        return HttpResponse.json({ dryRun: dryRun === "true", created: 2, updated: 1, problems: [] });
      }),
    );
    const collection = { "mapping-collection": { uuid: "m", mappings: [] } };
    const { user } = renderApp(`/frameworks/${framework.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Import mappings" }));
    const dialog = await screen.findByRole("dialog", { name: "Import mappings" });
    await user.upload(
      within(dialog).getByLabelText("Mapping-collection file"),
      new File([JSON.stringify(collection)], "mappings.json", { type: "application/json" }),
    );
    expect(await within(dialog).findByText(/mappings.json: 2 mappings to create, 1 mapping to update/)).toBeVisible();
    expect(calls).toEqual([{ dryRun: "true", body: { document: collection } }]);
    await user.click(within(dialog).getByRole("button", { name: "Import 3 mappings" }));

    expect(await within(dialog).findByText("Mappings imported")).toBeInTheDocument();
    expect(within(dialog).getByText("2 mappings created, 1 mapping updated.")).toBeInTheDocument();
    expect(calls.map((call) => call.dryRun)).toEqual(["true", "false"]);
  });

  it("lists every problem of a mapping-collection that cannot be imported, and refuses a file that is not one", async () => {
    frameworkHandlers();
    server.use(
      http.post(`/api/v1/frameworks/${framework.id}/mappings`, () =>
        problemResponse({
          status: 422,
          code: "import_invalid",
          title: "The mapping-collection has errors",
          detail: "1 problems",
          errors: [{ path: "$.mapping-collection.mappings[0].maps[0]", message: "No STATUS control 0000" }],
        }),
      ),
    );
    const { user } = renderApp(`/frameworks/${framework.id}`, { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: "Import mappings" }));
    const dialog = await screen.findByRole("dialog", { name: "Import mappings" });
    const input = within(dialog).getByLabelText("Mapping-collection file");

    await user.upload(input, new File(["{}"], "other.json", { type: "application/json" }));
    expect(await within(dialog).findByText(/not an OSCAL mapping-collection/)).toBeInTheDocument();
    await user.upload(
      input,
      new File([JSON.stringify({ "mapping-collection": {} })], "bad.json", { type: "application/json" }),
    );
    const issues = await within(dialog).findByRole("list", { name: "Issues" });
    expect(within(issues).getByRole("listitem")).toHaveTextContent(
      "$.mapping-collection.mappings[0].maps[0]: No STATUS control 0000",
    );
    expect(within(dialog).queryByRole("button", { name: /^Import \d/ })).not.toBeInTheDocument();
  });

  it("offers no mapping import to a USER", async () => {
    frameworkHandlers();
    renderApp(`/frameworks/${framework.id}`, { me: buildMe({ role: "USER" }) });
    expect(await screen.findByRole("button", { name: "Export mappings" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Import mappings" })).not.toBeInTheDocument();
  });

  it("says so for an unknown framework", async () => {
    const unknownId = nextId();
    server.use(
      http.get(`/api/v1/frameworks/${unknownId}`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get(`/api/v1/frameworks/${unknownId}/requirements`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get(`/api/v1/frameworks/${unknownId}/compliance`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    renderApp(`/frameworks/${unknownId}`, { me: buildMe() });
    expect(await screen.findByRole("heading", { name: "Framework not found" })).toBeInTheDocument();
  });
});
