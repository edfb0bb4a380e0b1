// @vitest-environment jsdom
import type { Catalog } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildControl, buildMe, buildPage } from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function catalogHandlers(catalog: Catalog, controls = buildPage([buildControl({ catalogId: catalog.id })])) {
  const controlRequests: URLSearchParams[] = [];
  server.use(
    mashupsHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/registry`, () =>
      HttpResponse.json({
        catalogId: catalog.id,
        agreementId: `tpa-${catalog.id}`,
        state: "not_configured",
        lastError: null,
        attempts: 0,
        nextAttemptAt: null,
        publishedAt: null,
        publishedHash: null,
        lastSyncedAt: null,
        lastSyncError: null,
      }),
    ),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, ({ request }) => {
      controlRequests.push(new URL(request.url).searchParams);
      return HttpResponse.json(controls);
    }),
  );
  return controlRequests;
}

describe("catalog page", () => {
  it("shows the catalog's details and its controls", async () => {
    const catalog = buildCatalog({ name: "ISO 27001", timeZone: "Europe/Madrid", controlCount: 1 });
    catalogHandlers(
      catalog,
      buildPage([
        buildControl({
          catalogId: catalog.id,
          name: "Reviews",
          period: "WEEKLY",
          threshold: 90,
          mashupId: "pr-review",
          scopeSetCount: 4,
        }),
      ]),
    );
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe() });

    expect(await screen.findByRole("heading", { level: 1, name: "ISO 27001" })).toBeInTheDocument();
    expect(screen.getAllByText("Europe/Madrid")).toHaveLength(2); // the detail, and the label of the dates shown
    expect(screen.getByTestId("time-zone")).toHaveTextContent("Times in Europe/Madrid");
    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(
      /Reviews.*pr-review.*Weekly · 90 % · draft · 4 scope sets.*Weekly.*90 %.*Draft.*4/,
    );
  });

  it("keeps the controls page in the URL", async () => {
    const catalog = buildCatalog();
    const requests = catalogHandlers(catalog, buildPage([buildControl({ catalogId: catalog.id })], { total: 30 }));
    const { user, router } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Next" }));

    await waitFor(() => expect(currentUrl(router).searchParams.get("page")).toBe("2"));
    await waitFor(() => expect(requests.at(-1)?.get("page")).toBe("2"));
  });

  it("says the catalog does not exist on 404 not_found", async () => {
    const catalog = buildCatalog();
    server.use(
      http.get(`/api/v1/catalogs/${catalog.id}`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get(`/api/v1/catalogs/${catalog.id}/controls`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get(`/api/v1/catalogs/${catalog.id}/control-states`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      mashupsHandler(),
    );
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe() });

    expect(await screen.findByRole("heading", { name: "Catalog not found" })).toBeInTheDocument();
  });

  it("finalizes a draft after confirmation and shows the new status", async () => {
    const catalog = buildCatalog({ status: "draft" });
    catalogHandlers(catalog);
    let patchBody: unknown;
    server.use(
      http.patch(`/api/v1/catalogs/${catalog.id}`, async ({ request }) => {
        patchBody = await request.json();
        return HttpResponse.json({ ...catalog, status: "finalized", finalizedAt: "2025-03-01T00:00:00Z" });
      }),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Finalize" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Finalize catalog" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(patchBody).toEqual({ status: "finalized" });
    expect(screen.getByText("Finalized", { selector: "span" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Finalize" })).not.toBeInTheDocument();
  });

  it("shows why a catalog cannot be finalized", async () => {
    const catalog = buildCatalog({ status: "draft" });
    catalogHandlers(catalog);
    server.use(
      http.patch(`/api/v1/catalogs/${catalog.id}`, () =>
        problemResponse({
          status: 409,
          code: "catalog_not_finalizable",
          title: "Conflict",
          detail: "The catalog has no controls",
        }),
      ),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Finalize" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Finalize catalog" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The catalog has no controls");
  });

  it("does not offer Finalize to a USER", async () => {
    const catalog = buildCatalog({ status: "draft" });
    catalogHandlers(catalog);
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "USER" }) });

    await screen.findByRole("heading", { level: 1, name: catalog.name });

    expect(screen.queryByRole("button", { name: "Finalize" })).not.toBeInTheDocument();
  });
});
