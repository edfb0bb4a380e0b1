// @vitest-environment jsdom
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildMe, buildPage } from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

/** Answers GET /catalogs with `page` and records the query string of every call. */
function catalogsHandler(page = buildPage([buildCatalog()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/catalogs", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("catalogs list", () => {
  it("renders a row per catalog of the fetched page, with status, control count and pagination", async () => {
    const catalogs = [
      buildCatalog({ name: "ISO 27001", status: "finalized", controlCount: 12, finalizedAt: "2025-02-01T00:00:00Z" }),
      buildCatalog({ name: "SOC 2", status: "draft", controlCount: 3 }),
    ];
    catalogsHandler(buildPage(catalogs, { total: 27 }));
    renderApp("/catalogs", { me: buildMe() });

    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);

    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/ISO 27001.*Finalized.*12/);
    expect(rows[1]).toHaveTextContent(/SOC 2.*Draft.*3/);
    expect(within(rows[0]!).getByRole("link", { name: "ISO 27001" })).toHaveAttribute(
      "href",
      `/catalogs/${catalogs[0]!.id}`,
    );
    expect(screen.getByText("Page 1 of 2")).toBeInTheDocument();
  });

  it("keeps search, status filter, sort and page in the URL and requests exactly that", async () => {
    const requests = catalogsHandler(buildPage([buildCatalog()], { total: 60 }));
    const { user, router } = renderApp("/catalogs", { me: buildMe() });
    await screen.findByRole("table");

    // Each step waits for the request it causes and for the address to show it, as a user waits for the list to
    // update. (The loader asks for the list before the page re-renders with the new address.)
    const lastRequest = () => Object.fromEntries(requests.at(-1) ?? []);
    const urlParams = () => Object.fromEntries(currentUrl(router).searchParams);
    // The router commits the new address in a transition; flush it so the next change merges into it.
    const settle = () => act(async () => {});
    await user.type(screen.getByLabelText("Search"), "iso");
    await waitFor(() => expect(lastRequest()).toMatchObject({ q: "iso" }));
    await waitFor(() => expect(urlParams()).toMatchObject({ q: "iso" }));
    await settle();
    await user.selectOptions(screen.getByLabelText("Status"), "draft");
    await waitFor(() => expect(lastRequest()).toMatchObject({ status: "draft" }));
    await waitFor(() => expect(urlParams()).toMatchObject({ status: "draft" }));
    await settle();
    await user.selectOptions(screen.getByLabelText("Sort by"), "-updatedAt");
    await waitFor(() => expect(lastRequest()).toMatchObject({ sort: "-updatedAt" }));
    await waitFor(() => expect(urlParams()).toMatchObject({ sort: "-updatedAt" }));
    await settle();
    await user.click(screen.getByRole("button", { name: "Next" }));

    await waitFor(() =>
      expect(lastRequest()).toEqual({
        q: "iso",
        status: "draft",
        archived: "false",
        sort: "-updatedAt",
        page: "2",
        pageSize: "25",
      }),
    );
    expect(Object.fromEntries(currentUrl(router).searchParams)).toEqual({
      q: "iso",
      status: "draft",
      sort: "-updatedAt",
      page: "2",
    });
  });

  it("reads the filters from the URL on first load", async () => {
    const requests = catalogsHandler();
    renderApp("/catalogs?status=finalized&q=soc&sort=-name&page=3", { me: buildMe() });

    await screen.findByRole("table");

    expect(screen.getByLabelText("Search")).toHaveValue("soc");
    expect(screen.getByLabelText("Status")).toHaveValue("finalized");
    expect(Object.fromEntries(requests[0]!)).toMatchObject({ status: "finalized", q: "soc", sort: "-name", page: "3" });
  });

  it("shows an empty state when there are no catalogs", async () => {
    catalogsHandler(buildPage([]));
    renderApp("/catalogs", { me: buildMe() });
    expect(await screen.findByText("No catalogs yet")).toBeInTheDocument();
  });

  it("shows the problem detail when the list cannot be loaded", async () => {
    server.use(
      http.get("/api/v1/catalogs", () =>
        problemResponse({
          status: 503,
          code: "service_unavailable",
          title: "Service unavailable",
          detail: "The database is not reachable.",
        }),
      ),
    );
    renderApp("/catalogs", { me: buildMe() });

    expect(await screen.findByRole("alert")).toHaveTextContent("The database is not reachable.");
  });

  it("does not offer New catalog to a USER", async () => {
    catalogsHandler();
    renderApp("/catalogs", { me: buildMe({ role: "USER" }) });

    await screen.findByRole("table");

    expect(screen.queryByRole("button", { name: "New catalog" })).not.toBeInTheDocument();
  });

  it("offers New catalog to a DEVELOPER and puts the server's field errors on the form", async () => {
    catalogsHandler();
    server.use(
      http.post("/api/v1/catalogs", () =>
        problemResponse({
          status: 409,
          code: "duplicate",
          title: "Duplicate",
          detail: "A catalog with this name exists",
          errors: [{ path: "body.name", message: "Already used by another catalog" }],
        }),
      ),
    );
    const { user } = renderApp("/catalogs", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "New catalog" }));
    const dialog = await screen.findByRole("dialog", { name: "New catalog" });
    await user.type(within(dialog).getByLabelText("Name"), "ISO 27001");
    await user.click(within(dialog).getByRole("button", { name: "Create catalog" }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription("Already used by another catalog"),
    );
  });

  it("creates a catalog with dates at midnight in its time zone and opens it", async () => {
    catalogsHandler();
    const created = buildCatalog({ name: "SOC 2" });
    let body: unknown;
    server.use(
      http.post("/api/v1/catalogs", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(created, { status: 201 });
      }),
      http.get(`/api/v1/catalogs/${created.id}`, () => HttpResponse.json(created)),
      http.get(`/api/v1/catalogs/${created.id}/controls`, () => HttpResponse.json(buildPage([]))),
      controlStatesHandler(created.id),
      mashupsHandler(),
    );
    const { user, router } = renderApp("/catalogs", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "New catalog" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("Name"), "SOC 2");
    await user.type(within(dialog).getByLabelText("Start date"), "2025-06-01");
    await user.clear(within(dialog).getByLabelText("Time zone"));
    await user.type(within(dialog).getByLabelText("Time zone"), "Europe/Madrid");
    await user.selectOptions(within(dialog).getByLabelText("Weeks start on"), "Sunday");
    await user.click(within(dialog).getByRole("button", { name: "Create catalog" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${created.id}`));
    expect(body).toEqual({
      name: "SOC 2",
      description: "",
      startDate: "2025-06-01T00:00:00+02:00",
      endDate: null,
      timeZone: "Europe/Madrid",
      firstDayOfWeek: 7,
    });
  });
});
