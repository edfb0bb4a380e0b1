// @vitest-environment jsdom
import type { Archive, Catalog, Control } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildChainVerification, buildControl, buildMe, buildPage } from "@/testing/factories.ts";
import {
  controlStatesHandler,
  mashupsHandler,
  problemResponse,
  scopesHandler,
  handlingHandlers,
} from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const ARCHIVE: Archive = {
  archivedAt: "2026-11-30T09:15:00Z",
  archivedBy: "7c1e4a5e-8a51-4b8e-9e57-1d9a0b1c2d3e",
  archivedByName: "dana",
  reason: "Replaced by the 2027 framework",
};

function catalogHandlers(catalog: Catalog, controls: Control[] = []) {
  const controlRequests: URLSearchParams[] = [];
  server.use(
    mashupsHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/registry`, () =>
      HttpResponse.json({
        catalogId: catalog.id,
        agreementId: `tpa-${catalog.id}`,
        state: catalog.archive ? "archived" : "not_configured",
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
      return HttpResponse.json(buildPage(controls));
    }),
  );
  return { controlRequests, path: `/catalogs/${catalog.id}` };
}

function controlHandlers(catalog: Catalog, control: Control) {
  server.use(
    mashupsHandler(),
    scopesHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/computations`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/panels`, () => HttpResponse.json({ items: [] })),
    ...handlingHandlers(control.id),
    http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/dashboards", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () =>
      HttpResponse.json(buildChainVerification({ controlId: control.id, isIntact: true, pointCount: 3 })),
    ),
  );
  return `/catalogs/${catalog.id}/controls/${control.id}`;
}

describe("archiving in the SPA", () => {
  it("archives a finalized catalog with the reason typed, and then shows who archived it, when and why", async () => {
    const catalog = buildCatalog({ name: "ISO 2013", status: "finalized", finalizedAt: "2025-01-05T00:00:00Z" });
    const { path } = catalogHandlers(catalog);
    let body: unknown;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/archive`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...catalog, archive: ARCHIVE });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByRole("heading", { level: 1, name: "ISO 2013" });
    // A finalized catalog has history: it can be archived, never deleted.
    expect(screen.queryByRole("button", { name: "Delete" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Archive" }));
    const dialog = await screen.findByRole("dialog", { name: "Archive “ISO 2013”?" });
    await user.click(within(dialog).getByRole("button", { name: "Archive catalog" }));
    expect(within(dialog).getByText("Say why")).toBeInTheDocument();
    expect(body).toBeUndefined();
    await user.type(within(dialog).getByLabelText("Reason"), "  Replaced by the 2027 framework ");
    await user.click(within(dialog).getByRole("button", { name: "Archive catalog" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(body).toEqual({ reason: "Replaced by the 2027 framework" });
    const banner = await screen.findByText(/^Archived on .* by dana$/);
    expect(banner.closest("[role=status]")).toHaveTextContent("Replaced by the 2027 framework");
    expect(screen.getByRole("button", { name: "Restore" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add control" })).not.toBeInTheDocument();
  });

  it("restores an archived catalog with a reason and shows the server's refusal when there is one", async () => {
    const catalog = buildCatalog({ name: "ISO 2013", status: "finalized", finalizedAt: "2025-01-05T00:00:00Z" });
    const archived = { ...catalog, archive: ARCHIVE };
    const { path, controlRequests } = catalogHandlers(archived, [
      buildControl({ catalogId: catalog.id, isCatalogArchived: true }),
    ]);
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/restore`, () =>
        problemResponse({ status: 409, code: "not_archived", title: "Conflict", detail: "It is not archived" }),
      ),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByText(/^Archived on .* by dana$/);
    // An archived catalog's controls are all archived with it: listed without the filter.
    await waitFor(() => expect(controlRequests.at(-1)?.get("archived")).toBe("all"));
    expect(screen.queryByLabelText("Archived")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Restore" }));
    const dialog = await screen.findByRole("dialog", { name: "Restore “ISO 2013”?" });
    await user.type(within(dialog).getByLabelText("Reason"), "Back in scope");
    await user.click(within(dialog).getByRole("button", { name: "Restore catalog" }));

    expect(await within(dialog).findByText("It is not archived")).toBeInTheDocument();
  });

  it("offers Delete only for a draft catalog", async () => {
    const catalog = buildCatalog({ name: "Draft one", status: "draft" });
    const { path } = catalogHandlers(catalog);
    renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByRole("heading", { level: 1, name: "Draft one" });
    expect(screen.getByRole("button", { name: "Delete" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Archive" })).toBeInTheDocument();
  });

  it("filters the catalog's controls by Archived through the URL", async () => {
    const catalog = buildCatalog({ status: "finalized", finalizedAt: "2025-01-05T00:00:00Z" });
    const { path, controlRequests } = catalogHandlers(catalog, [
      buildControl({ catalogId: catalog.id, name: "Old check", status: "finalized", archive: ARCHIVE }),
    ]);
    const { user } = renderApp(path, { me: buildMe({ role: "USER" }) });

    await waitFor(() => expect(controlRequests.at(-1)?.get("archived")).toBe("false"));
    await user.selectOptions(await screen.findByLabelText("Archived"), "true");

    await waitFor(() => expect(controlRequests.at(-1)?.get("archived")).toBe("true"));
    const row = (await screen.findByRole("link", { name: "Old check" })).closest("tr")!;
    expect(within(row).getByText("Archived")).toBeInTheDocument();
  });

  it("filters the catalogs list by Archived", async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      http.get("/api/v1/catalogs", ({ request }) => {
        requests.push(new URL(request.url).searchParams);
        const isArchived = new URL(request.url).searchParams.get("archived") === "true";
        return HttpResponse.json(
          buildPage(isArchived ? [buildCatalog({ name: "Retired", status: "finalized", archive: ARCHIVE })] : []),
        );
      }),
    );
    const { user } = renderApp("/catalogs", { me: buildMe({ role: "USER" }) });

    await waitFor(() => expect(requests.at(-1)?.get("archived")).toBe("false"));
    await user.selectOptions(await screen.findByLabelText("Archived"), "true");

    const row = (await screen.findByRole("link", { name: "Retired" })).closest("tr")!;
    expect(within(row).getByText("Archived")).toBeInTheDocument();
  });

  it("archives a control from its page with a reason; a finalized control has no Delete", async () => {
    const catalog = buildCatalog({ status: "finalized", finalizedAt: "2025-01-05T00:00:00Z", timeZone: "UTC" });
    const control = buildControl({ catalogId: catalog.id, name: "Backups", status: "finalized" });
    const path = controlHandlers(catalog, control);
    let body: unknown;
    server.use(
      http.post(`/api/v1/controls/${control.id}/archive`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...control, archive: ARCHIVE });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByRole("heading", { level: 1, name: "Backups" });
    expect(screen.queryByRole("button", { name: "Delete" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Archive" }));
    const dialog = await screen.findByRole("dialog", { name: "Archive Backups?" });
    await user.type(within(dialog).getByLabelText("Reason"), "Replaced by the 2027 framework");
    await user.click(within(dialog).getByRole("button", { name: "Archive control" }));

    expect(await screen.findByText(/^Archived on .* by dana$/)).toBeInTheDocument();
    expect(body).toEqual({ reason: "Replaced by the 2027 framework" });
    expect(screen.getByRole("button", { name: "Restore" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Run/ })).not.toBeInTheDocument();
  });

  it("shows a control of an archived catalog as read-only, and a draft control with Delete", async () => {
    const catalog = buildCatalog({ status: "draft", archive: ARCHIVE });
    const control = buildControl({ catalogId: catalog.id, name: "Draft check", isCatalogArchived: true });
    const path = controlHandlers(catalog, control);
    renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByText("Its catalog is archived")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Archive" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Delete" })).toBeInTheDocument();
  });
});
