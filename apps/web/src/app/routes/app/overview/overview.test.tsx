// @vitest-environment jsdom
import { FailuresSchema, OverviewSchema, type FailedControl, type Failures, type Overview } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage, buildRun, nextId } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function buildOverview(overrides: Partial<Overview> = {}): Overview {
  const catalogId = nextId();
  const controlId = nextId();
  return OverviewSchema.parse({
    generatedAt: "2025-06-02T12:00:00Z",
    catalogs: [
      {
        catalogId,
        catalogName: "ISO 27001",
        status: "finalized",
        controlCount: 7,
        evaluated: 5,
        passing: 3,
        failing: 1,
        stale: 1,
        notEvaluated: 1,
        notApplicable: 1,
        compliance: 60,
      },
      {
        catalogId: nextId(),
        catalogName: "Draft ideas",
        status: "draft",
        controlCount: 0,
        evaluated: 0,
        passing: 0,
        failing: 0,
        stale: 0,
        notEvaluated: 0,
        notApplicable: 0,
        compliance: null,
      },
    ],
    series: [
      {
        catalogId,
        catalogName: "ISO 27001",
        days: [
          { day: "2025-06-01T00:00:00.000Z", points: 4, compliance: 100 },
          { day: "2025-06-02T00:00:00.000Z", points: 4, compliance: 75 },
        ],
      },
    ],
    failingControls: [
      {
        catalogId,
        catalogName: "ISO 27001",
        controlId,
        controlName: "Nightly backups",
        scope: { environment: "production" },
        windowStart: "2025-06-01T00:00:00Z",
        windowEnd: "2025-06-02T00:00:00Z",
        value: 66.67,
        threshold: 99,
      },
    ],
    failingTotal: 3,
    nextRuns: [
      {
        catalogId,
        catalogName: "ISO 27001",
        controlId,
        controlName: "Nightly backups",
        period: "DAILY",
        windowStart: "2025-06-02T00:00:00Z",
        windowEnd: "2025-06-03T00:00:00Z",
        dueAt: "2025-06-03T00:00:00Z",
      },
    ],
    ...overrides,
  });
}

function buildFailed(overrides: Partial<FailedControl> = {}): FailedControl {
  return {
    catalogId: nextId(),
    catalogName: "ISO 27001",
    timeZone: "Europe/Madrid",
    controlId: nextId(),
    controlName: "Nightly backups",
    period: "DAILY",
    state: "failing",
    owner: { id: nextId(), username: "ana", displayName: "Ana García" },
    failedWindows: 9,
    evaluatedWindows: 30,
    newestFailedWindowStart: "2025-06-01T22:00:00Z",
    newestFailedWindowEnd: "2025-06-02T22:00:00Z",
    newestFailedComputationId: nextId(),
    failingSince: "2025-05-30T22:00:00Z",
    ...overrides,
  };
}

function buildFailures(items: FailedControl[]): Failures {
  return FailuresSchema.parse({ from: "2025-05-04T00:00:00Z", to: "2025-06-02T12:00:00Z", items, total: items.length });
}

function handlers(overview: Overview | null, failures: Failures = buildFailures([])) {
  const requests: URLSearchParams[] = [];
  const failureRequests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/overview/failures", ({ request }) => {
      failureRequests.push(new URL(request.url).searchParams);
      return HttpResponse.json(failures);
    }),
    http.get("/api/v1/overview", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return overview
        ? HttpResponse.json(overview)
        : problemResponse({ status: 500, code: "internal_error", title: "Internal error", detail: "Something broke" });
    }),
    http.get("/api/v1/runs", () =>
      HttpResponse.json(buildPage([buildRun({ controlName: "Access reviews", status: "succeeded" })])),
    ),
  );
  return Object.assign(requests, { failures: failureRequests });
}

describe("overview page", () => {
  it("shows compliance per catalog now and over time, failing controls, next runs and recent runs", async () => {
    handlers(buildOverview());
    renderApp("/", { me: buildMe({ role: "USER" }) });

    const now = await screen.findByRole("table", { name: "Compliance per catalog" });
    const rows = within(now).getAllByRole("row").slice(1);
    // Passing, failing, stale, not evaluated and not applicable controls, then all of them.
    expect(rows[0]).toHaveTextContent(/ISO 27001.*60 %.*3.*1.*1.*1.*1.*7/);
    expect(rows[1]).toHaveTextContent(/Draft ideas.*Draft.*Not evaluated/);
    expect(within(now).getByRole("progressbar", { name: "Compliance of ISO 27001" })).toHaveAttribute(
      "aria-valuenow",
      "60",
    );

    const chart = screen.getByRole("img", { name: "Compliance per catalog and day, last 30 days" });
    expect(chart.querySelectorAll("circle")).toHaveLength(2);

    expect(screen.getByText(/Counted in controls/)).toBeInTheDocument();
    expect(screen.getByText(/Counted in points/)).toBeInTheDocument();
    expect(
      within(screen.getByRole("list", { name: "Next scheduled runs" })).getByRole("link", { name: "Nightly backups" }),
    ).toHaveAttribute("href", expect.stringMatching(/^\/catalogs\/.+\/controls\/.+$/));
    expect(await screen.findByRole("list", { name: "Recent runs" })).toHaveTextContent(/Access reviews.*Succeeded/);
  });

  it("leads with the controls that failed in the period: how many windows, since when, and a link to the failing computation", async () => {
    const backups = buildFailed();
    const reviews = buildFailed({
      controlName: "Access reviews",
      state: "passing",
      owner: null,
      failedWindows: 3,
      evaluatedWindows: 7,
      failingSince: null,
      newestFailedWindowStart: "2025-05-20T22:00:00Z",
      newestFailedWindowEnd: "2025-05-21T22:00:00Z",
    });
    const requests = handlers(buildOverview(), buildFailures([backups, reviews]));
    renderApp("/", { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table", { name: "Failed in this period" });
    const headings = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(headings[0]).toBe("Failed in this period");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(
      /Nightly backups.*ISO 27001.*Failing.*Ana García.*9 of 30.*31 May 2025|May 31, 2025/,
    );
    expect(rows[0]).toHaveTextContent("Europe/Madrid");
    expect(rows[1]).toHaveTextContent(/Access reviews.*Passing.*Nobody.*3 of 7.*Not failing now/);
    expect(within(rows[0]!).getByRole("link", { name: "Nightly backups" })).toHaveAttribute(
      "href",
      `/catalogs/${backups.catalogId}/controls/${backups.controlId}?computation=${backups.newestFailedComputationId}`,
    );
    expect(screen.getByTestId("time-zone")).toHaveTextContent("Times in Europe/Madrid");
    // The period is the chart's: the last 30 UTC days, today included.
    expect(requests.failures[0]?.get("from")).toMatch(/T00:00:00\.000Z$/);
  });

  it("keeps the failures' sort and catalog in the URL, so a link reproduces the view", async () => {
    const overview = buildOverview();
    const catalogId = overview.catalogs[0]!.catalogId;
    const requests = handlers(
      overview,
      buildFailures([
        buildFailed({ controlName: "Backups", failedWindows: 2 }),
        buildFailed({ controlName: "Access reviews", failedWindows: 5 }),
      ]),
    );
    const { user, router } = renderApp("/", { me: buildMe() });
    await screen.findByRole("table", { name: "Failed in this period" });
    const table = () => screen.getByRole("table", { name: "Failed in this period" });
    const names = () =>
      within(table())
        .getAllByRole("row")
        .slice(1)
        .map((row) => within(row).getAllByRole("link")[0]?.textContent);

    await user.click(within(table()).getByRole("button", { name: /Failed windows/ }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("sort")).toBe("-failedWindows"));
    await waitFor(() => expect(names()).toEqual(["Access reviews", "Backups"]));
    expect(within(table()).getByRole("columnheader", { name: /Failed windows/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );

    await user.click(within(table()).getByRole("button", { name: /Control/ }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("sort")).toBe("controlName"));
    await waitFor(() => expect(names()).toEqual(["Access reviews", "Backups"]));
    // The rows were already in this order: wait for the table to show the new sort before clicking again, or a slow
    // machine clicks a header of the table as it was before the sort changed.
    await waitFor(() =>
      expect(within(table()).getByRole("columnheader", { name: /Control/ })).toHaveAttribute("aria-sort", "ascending"),
    );
    await user.click(within(table()).getByRole("button", { name: /Control/ }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("sort")).toBe("-controlName"));
    await waitFor(() => expect(names()).toEqual(["Backups", "Access reviews"]));

    await user.selectOptions(screen.getByLabelText("Catalog"), catalogId);
    await waitFor(() => expect(currentUrl(router).searchParams.get("catalog")).toBe(catalogId));
    await waitFor(() => expect(requests.failures.at(-1)?.get("catalogId")).toBe(catalogId));
  });

  it("opens with the sort and catalog a link carries", async () => {
    const overview = buildOverview();
    const catalogId = overview.catalogs[0]!.catalogId;
    const requests = handlers(
      overview,
      buildFailures([buildFailed({ controlName: "Backups" }), buildFailed({ controlName: "Access reviews" })]),
    );
    renderApp(`/?sort=controlName&catalog=${catalogId}`, { me: buildMe() });

    const table = await screen.findByRole("table", { name: "Failed in this period" });
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("Access reviews");
    expect(requests.failures[0]?.get("catalogId")).toBe(catalogId);
    expect(screen.getByLabelText("Catalog")).toHaveValue(catalogId);
  });

  it("keeps the history length in the URL and asks the API for it", async () => {
    const requests = handlers(buildOverview());
    const { user, router } = renderApp("/", { me: buildMe() });

    await user.selectOptions(await screen.findByLabelText("History"), "90");

    await waitFor(() => expect(currentUrl(router).searchParams.get("days")).toBe("90"));
    await waitFor(() => expect(requests.at(-1)?.get("days")).toBe("90"));
    expect(
      await screen.findByRole("img", { name: "Compliance per catalog and day, last 90 days" }),
    ).toBeInTheDocument();
  });

  it("guides a new user when there are no catalogs", async () => {
    handlers(buildOverview({ catalogs: [], series: [], failingControls: [], failingTotal: 0, nextRuns: [] }));
    renderApp("/", { me: buildMe() });

    expect(await screen.findByText("No catalogs yet")).toBeInTheDocument();
    expect(within(screen.getByRole("main")).getByRole("link", { name: "Catalogs" })).toHaveAttribute(
      "href",
      "/catalogs",
    );
  });

  it("says when nothing failed and nothing is scheduled", async () => {
    handlers(buildOverview({ series: [], failingControls: [], failingTotal: 0, nextRuns: [] }));
    renderApp("/", { me: buildMe() });

    expect(await screen.findByText("No control failed in the last 30 days")).toBeInTheDocument();
    expect(screen.getByText("Nothing scheduled")).toBeInTheDocument();
    expect(screen.getByText("No points in the last 30 days")).toBeInTheDocument();
  });

  it("shows the error and retries on request", async () => {
    handlers(null);
    const { user } = renderApp("/", { me: buildMe() });

    expect(await screen.findByText("The overview could not be loaded")).toBeInTheDocument();
    handlers(buildOverview());
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("table", { name: "Compliance per catalog" })).toBeInTheDocument();
  });
});
