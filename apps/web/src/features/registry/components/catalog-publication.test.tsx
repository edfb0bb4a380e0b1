// @vitest-environment jsdom
import type { Catalog, RegistryPublication, RegistrySyncResult } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function buildPublication(catalogId: string, overrides: Partial<RegistryPublication> = {}): RegistryPublication {
  return {
    catalogId,
    agreementId: `tpa-${catalogId}`,
    state: "published",
    lastError: null,
    attempts: 1,
    nextAttemptAt: null,
    publishedAt: "2025-06-01T10:00:00Z",
    publishedHash: "a".repeat(64),
    lastSyncedAt: null,
    lastSyncError: null,
    ...overrides,
  };
}

function finalizedCatalog(overrides: Partial<Catalog> = {}): Catalog {
  return buildCatalog({
    status: "finalized",
    finalizedAt: "2025-06-01T09:00:00Z",
    startDate: "2025-01-01T00:00:00Z",
    timeZone: "UTC",
    ...overrides,
  });
}

function pageHandlers(catalog: Catalog, ...publications: RegistryPublication[]) {
  let served = 0;
  server.use(
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/catalogs/${catalog.id}/registry`, () =>
      HttpResponse.json(publications[Math.min(served++, publications.length - 1)]),
    ),
  );
}

describe("registry publication on the catalog page", () => {
  it("shows a published catalog's badge; a USER gets no buttons", async () => {
    const catalog = finalizedCatalog();
    pageHandlers(catalog, buildPublication(catalog.id));
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "USER" }) });

    const section = await screen.findByRole("region", { name: "Registry publication" });
    expect(await within(section).findByText("Published to the registry")).toBeInTheDocument();
    expect(within(section).queryByRole("button", { name: "Publish now" })).not.toBeInTheDocument();
    expect(within(section).queryByRole("form", { name: "Sync from registry" })).not.toBeInTheDocument();
  });

  it("shows the registry's error and the next attempt, and looks again until it is published", async () => {
    const catalog = finalizedCatalog();
    pageHandlers(
      catalog,
      buildPublication(catalog.id, {
        state: "error",
        lastError: "the registry is unreachable: connect ECONNREFUSED",
        nextAttemptAt: "2025-06-01T10:05:00Z",
        publishedAt: null,
      }),
      buildPublication(catalog.id),
    );
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(/refused or did not answer.*ECONNREFUSED.*Next attempt/);
    expect(await screen.findByText("Published to the registry", {}, { timeout: 8000 })).toBeInTheDocument();
  }, 15_000);

  it("asks for a publish now and shows the pending state the API answers", async () => {
    const catalog = finalizedCatalog();
    pageHandlers(catalog, buildPublication(catalog.id));
    let published = 0;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/registry/publish`, () => {
        published += 1;
        return HttpResponse.json(
          buildPublication(catalog.id, { state: "pending", nextAttemptAt: "2025-06-01T10:00:00Z" }),
          { status: 202 },
        );
      }),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Publish now" }));

    expect(await screen.findByText("Publishing to the registry")).toBeInTheDocument();
    expect(published).toBe(1);
  });

  it("syncs a date range from the registry and reports what was stored, or the problem", async () => {
    const catalog = finalizedCatalog({ timeZone: "Europe/Madrid" });
    pageHandlers(catalog, buildPublication(catalog.id));
    const bodies: unknown[] = [];
    const result: RegistrySyncResult = {
      catalogId: catalog.id,
      agreementId: `tpa-${catalog.id}`,
      windows: [{ from: "2025-05-31T22:00:00.000Z", to: "2025-06-01T22:00:00.000Z" }],
      stateCount: 2,
      storedCount: 2,
      existingCount: 0,
      skipped: [],
    };
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/registry/sync`, async ({ request }) => {
        bodies.push(await request.json());
        return bodies.length === 1
          ? HttpResponse.json(result)
          : problemResponse({
              status: 503,
              code: "registry_unavailable",
              title: "Service unavailable",
              detail: "the registry did not answer within 90000 ms",
            });
      }),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    const form = await screen.findByRole("form", { name: "Sync from registry" });
    await user.clear(within(form).getByLabelText("From"));
    await user.type(within(form).getByLabelText("From"), "2025-06-01");
    await user.clear(within(form).getByLabelText("To"));
    await user.type(within(form).getByLabelText("To"), "2025-06-02");
    await user.click(within(form).getByRole("button", { name: "Sync from registry" }));

    expect(await within(form).findByRole("status")).toHaveTextContent(
      "1 window asked; 2 new points stored, 0 already there",
    );
    expect(bodies[0]).toEqual({ from: "2025-06-01T00:00:00+02:00", to: "2025-06-02T00:00:00+02:00" });
    await user.click(within(form).getByRole("button", { name: "Sync from registry" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("did not answer within 90000 ms");
  });

  it("shows nothing for a draft (drafts are never published)", async () => {
    const catalog = buildCatalog({ status: "draft" });
    pageHandlers(catalog, buildPublication(catalog.id));
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });
    expect(await screen.findByRole("heading", { level: 1, name: catalog.name })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("region", { name: "Registry publication" })).not.toBeInTheDocument());
  });
});
