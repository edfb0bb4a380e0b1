// @vitest-environment jsdom
import { OverviewSchema, type Overview } from "@status/shared";
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

function handlers(overview: Overview | null) {
  const requests: URLSearchParams[] = [];
  server.use(
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
  return requests;
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

    const failing = screen.getByRole("list", { name: "Failing controls" });
    expect(failing).toHaveTextContent(/Nightly backups.*66\.7 %.*of 99 % needed/);
    expect(failing).toHaveTextContent("environment = production");
    expect(screen.getByText("2 more failing; open the catalogs to see them.")).toBeInTheDocument();
    expect(
      within(screen.getByRole("list", { name: "Next scheduled runs" })).getByRole("link", { name: "Nightly backups" }),
    ).toHaveAttribute("href", expect.stringMatching(/^\/catalogs\/.+\/controls\/.+$/));
    expect(await screen.findByRole("list", { name: "Recent runs" })).toHaveTextContent(/Access reviews.*Succeeded/);
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

    expect(await screen.findByText("No failing controls")).toBeInTheDocument();
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
