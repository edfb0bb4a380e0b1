// @vitest-environment jsdom
import type { Catalog, EvidencePack } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildDonePack, buildEvidencePack } from "@/testing/assessment-factories.ts";
import { buildCatalog, buildMe, nextId } from "@/testing/factories.ts";
import { FakeEventSource } from "@/testing/fake-event-source.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const PUBLIC_KEY = {
  algorithm: "Ed25519",
  keyId: "0123456789abcdef".repeat(4),
  pem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
};
// 15 Nov 2026: the last 30 days are 16 Oct – 14 Nov, the last quarter July – September.
const NOW = new Date("2026-11-15T10:00:00Z");
const OLGA_ID = nextId();

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.readAsText(blob);
  });
}

function pageHandlers(catalog: Catalog, packs: EvidencePack[] = []) {
  server.use(
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/evidence-packs`, () => HttpResponse.json({ items: packs })),
    http.get("/api/v1/evidence-packs/public-key", () => HttpResponse.json(PUBLIC_KEY)),
    http.get("/api/v1/people", () =>
      HttpResponse.json({ items: [{ id: OLGA_ID, username: "olga", displayName: "Olga Owner", role: "ADMIN" }] }),
    ),
  );
}

/** POST starts a pack; each GET of it answers the next state of `states` (the last one stays). */
function packJob(catalog: Catalog, states: EvidencePack[]) {
  const bodies: unknown[] = [];
  let gets = 0;
  const first = states[0]!;
  server.use(
    http.post(`/api/v1/catalogs/${catalog.id}/evidence-packs`, async ({ request }) => {
      bodies.push(await request.json());
      return HttpResponse.json(first, { status: 202 });
    }),
    http.get(`/api/v1/evidence-packs/${first.id}`, () => {
      const state = states[Math.min(gets, states.length - 1)];
      gets += 1;
      return HttpResponse.json(state);
    }),
  );
  return bodies;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeEventSource.instances = [];
});

describe("export for auditors", () => {
  it("starts a pack of the last 30 days, follows it by polling to done, then offers the download", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    const queued = buildEvidencePack({ catalogId: catalog.id });
    const running = { ...queued, status: "running" as const, progress: 40, stage: "points", attempts: 1 };
    const done = buildDonePack({ id: queued.id, catalogId: catalog.id, sizeBytes: 2_500_000 });
    const bodies = packJob(catalog, [running, done]);
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe() });

    expect(await screen.findByTestId("chosen-period")).toHaveTextContent("Oct 16, 2026 to Nov 14, 2026");
    await user.click(screen.getByRole("button", { name: "Build an evidence pack" }));

    expect(await screen.findByText("Collecting the points and their evidence…")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Evidence pack progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(await screen.findByText("The evidence pack is ready", {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Evidence pack progress" })).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByRole("link", { name: "Download the evidence pack (2.5 MB)" })).toHaveAttribute(
      "href",
      `/api/v1/evidence-packs/${queued.id}/download`,
    );
    expect(bodies).toEqual([{ from: "2026-10-16T00:00:00+00:00", to: "2026-11-15T00:00:00+00:00" }]);
  });

  it("follows the pack's event stream when there is one", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    const queued = buildEvidencePack({ catalogId: catalog.id });
    packJob(catalog, [queued]);
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe() });

    await user.selectOptions(await screen.findByRole("combobox", { name: "Period" }), "last-quarter");
    expect(screen.getByTestId("chosen-period")).toHaveTextContent("Jul 1, 2026 to Sep 30, 2026");
    await user.click(screen.getByRole("button", { name: "Build an evidence pack" }));

    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    expect(source.url).toBe(`/api/v1/evidence-packs/${queued.id}/events`);
    source.emit("pack", { ...queued, status: "running", progress: 80, stage: "report", attempts: 1 });
    expect(await screen.findByText("Drawing the period report…")).toBeInTheDocument();
    expect(screen.getByText("Live")).toBeInTheDocument();
    source.emit("pack", buildDonePack({ id: queued.id, catalogId: catalog.id, sizeBytes: 900 }));
    expect(await screen.findByRole("link", { name: "Download the evidence pack (900 B)" })).toBeInTheDocument();
    expect(source.isClosed).toBe(true);
  });

  it("says why a pack failed", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    const queued = buildEvidencePack({ catalogId: catalog.id });
    packJob(catalog, [{ ...queued, status: "failed", stage: "failed", attempts: 3, error: "disk full" }]);
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Build an evidence pack" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/The pack could not be built.*disk full/);
    expect(screen.queryByRole("link", { name: /Download the evidence pack/ })).not.toBeInTheDocument();
  });

  it("lists the packs built before with their period, size, points, author and digests to copy", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    const done = buildDonePack({
      catalogId: catalog.id,
      from: "2026-07-01T00:00:00Z",
      to: "2026-10-01T00:00:00Z",
      requestedBy: OLGA_ID,
    });
    const failed = buildEvidencePack({ catalogId: catalog.id, status: "failed", error: "Worker lost" });
    pageHandlers(catalog, [done, failed]);
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table", { name: "Evidence packs" });
    const [doneRow, failedRow] = within(table).getAllByRole("row").slice(1) as [HTMLElement, HTMLElement];
    await waitFor(() => expect(doneRow).toHaveTextContent("by Olga Owner"));
    expect(doneRow).toHaveTextContent(/Jul 1, 2026 – Sep 30, 2026.*Done.*1\.2 MB · 1,840 points/);
    expect(doneRow).toHaveTextContent(`ZIP${done.sha256!.slice(0, 12)}…`);
    expect(doneRow).toHaveTextContent(`Manifest${done.manifestSha256!.slice(0, 12)}…`);
    expect(within(doneRow).getByRole("link", { name: /Download the pack of/ })).toHaveAttribute(
      "href",
      `/api/v1/evidence-packs/${done.id}/download`,
    );
    expect(failedRow).toHaveTextContent(/Failed.*Worker lost/);
    expect(within(failedRow).queryByRole("link")).not.toBeInTheDocument();

    await user.click(within(doneRow).getByRole("button", { name: "Copy the SHA-256 of the manifest" }));
    await expect(navigator.clipboard.readText()).resolves.toBe(done.manifestSha256);
    await user.click(within(doneRow).getByRole("button", { name: "Copy the SHA-256 of the zip" }));
    await expect(navigator.clipboard.readText()).resolves.toBe(done.sha256);
  });

  it("checks a custom period as the API does: the last day not before the first, at most 367 days", async () => {
    const catalog = buildCatalog({ timeZone: "Europe/Madrid" });
    pageHandlers(catalog);
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe() });

    await user.selectOptions(await screen.findByRole("combobox", { name: "Period" }), "custom");
    const build = screen.getByRole("button", { name: "Build an evidence pack" });
    expect(screen.getByText("Pick the first day")).toBeInTheDocument();
    expect(build).toBeDisabled();

    await user.type(screen.getByLabelText("First day"), "2026-03-10");
    await user.type(screen.getByLabelText("Last day"), "2026-03-09");
    expect(screen.getByText("Must not be before the first day")).toBeInTheDocument();
    expect(build).toBeDisabled();
    expect(screen.getByRole("button", { name: "Assessment results (JSON)" })).toBeDisabled();

    await user.clear(screen.getByLabelText("Last day"));
    await user.type(screen.getByLabelText("Last day"), "2027-03-31");
    expect(screen.getByText("The period spans at most 367 days")).toBeInTheDocument();
    expect(build).toBeDisabled();

    await user.clear(screen.getByLabelText("Last day"));
    await user.type(screen.getByLabelText("Last day"), "2026-03-31");
    expect(screen.getByTestId("chosen-period")).toHaveTextContent("Mar 10, 2026 to Mar 31, 2026");
    expect(build).toBeEnabled();
  });

  it("previews the period report in a sandboxed frame and links its PDF", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    const reportQueries: URLSearchParams[] = [];
    server.use(
      http.get(`/api/v1/catalogs/${catalog.id}/report`, ({ request }) => {
        reportQueries.push(new URL(request.url).searchParams);
        return new HttpResponse("<html><body><h1>Period report: ISO</h1></body></html>", {
          headers: { "Content-Type": "text/html; charset=utf-8" },
        });
      }),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe({ role: "USER" }) });

    const pdf = await screen.findByRole("link", { name: "Download PDF" });
    const pdfUrl = new URL(pdf.getAttribute("href") ?? "", "http://localhost");
    expect(pdfUrl.pathname).toBe(`/api/v1/catalogs/${catalog.id}/report`);
    expect(Object.fromEntries(pdfUrl.searchParams)).toEqual({
      from: "2026-10-16T00:00:00+00:00",
      to: "2026-11-15T00:00:00+00:00",
      format: "pdf",
    });
    await user.click(screen.getByRole("button", { name: "Preview the report" }));

    const frame = await screen.findByTitle("Period report preview");
    expect(frame).toHaveAttribute("sandbox", "");
    expect(frame.getAttribute("srcdoc")).toContain("Period report: ISO");
    expect(reportQueries[0]?.get("format")).toBe("html");
  });

  it("says why the report could not be drawn", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    server.use(
      http.get(`/api/v1/catalogs/${catalog.id}/report`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found", detail: "No such catalog" }),
      ),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Preview the report" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/The report could not be drawn.*No such catalog/);
  });

  it("saves the period's OSCAL assessment results and offers the public key with the verifier's command", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    const queries: URLSearchParams[] = [];
    const document = { "assessment-results": { uuid: "ar-1" } };
    server.use(
      http.get(`/api/v1/catalogs/${catalog.id}/oscal/assessment-results`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json(document);
      }),
    );
    const blobs: Blob[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, {
        createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:export"),
        revokeObjectURL: () => undefined,
      }),
    );
    const names: string[] = [];
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    const { user } = renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "Assessment results (JSON)" }));
    await waitFor(() => expect(names).toEqual([`assessment-results-${catalog.id}-2026-10-16_2026-11-14.json`]));
    expect(queries[0]?.get("from")).toBe("2026-10-16T00:00:00+00:00");
    expect(JSON.parse(await readBlob(blobs[0]!))).toEqual(document);

    await user.click(await screen.findByRole("button", { name: "Download the public key" }));
    expect(names[1]).toBe("status-pack-signing-key.pem");
    expect(await readBlob(blobs[1]!)).toBe(PUBLIC_KEY.pem);
    expect(screen.getByText(/npm run verify-pack -- pack\.zip --public-key/)).toBeInTheDocument();
    clicked.mockRestore();
  });

  it("lets a USER take the exports but not start a pack", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog, [buildDonePack({ catalogId: catalog.id })]);
    renderApp(`/catalogs/${catalog.id}/auditors`, { me: buildMe({ role: "USER" }) });

    expect(await screen.findByRole("table", { name: "Evidence packs" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "POA&M (JSON)" })).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Build an evidence pack" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Evidence pack" })).not.toBeInTheDocument();
  });

  it("is linked from the catalog page for every signed-in user", async () => {
    const catalog = buildCatalog({ timeZone: "UTC" });
    pageHandlers(catalog);
    server.use(
      http.get(`/api/v1/catalogs/${catalog.id}/controls`, () =>
        HttpResponse.json({ items: [], total: 0, page: 1, pageSize: 25 }),
      ),
      http.get(`/api/v1/catalogs/${catalog.id}/control-states`, () => HttpResponse.json({ items: [] })),
      http.get(`/api/v1/catalogs/${catalog.id}/registry`, () => HttpResponse.json({}, { status: 404 })),
    );
    const { user, router } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("link", { name: "Export for auditors" }));

    expect(router.state.location.pathname).toBe(`/catalogs/${catalog.id}/auditors`);
    expect(await screen.findByRole("heading", { level: 1, name: "Export for auditors" })).toBeInTheDocument();
  });
});
