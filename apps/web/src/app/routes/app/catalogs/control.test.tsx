// @vitest-environment jsdom
import type {
  Catalog,
  ChainVerification,
  Computation,
  ComputationScopes,
  ComputationDetail,
  Control,
  ControlVersion,
  MashupEvidence,
  Page,
  Point,
  RunBatch,
  ScopeSet,
} from "@status/shared";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  buildCatalog,
  buildChainVerification,
  buildComputation,
  buildComputationDetail,
  buildControl,
  buildControlState,
  buildEvidence,
  buildMe,
  buildPage,
  buildPoint,
  buildRun,
  buildRunBatch,
  buildScopeSet,
} from "@/testing/factories.ts";
import {
  controlStatesHandler,
  mashupsHandler,
  problemResponse,
  scopesHandler,
  handlingHandlers,
} from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { FakeEventSource } from "@/testing/fake-event-source.ts";
import { server } from "@/testing/server.ts";

afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.instances = [];
});

/** The same batch with new counts (and the progress they make). */
function batchUpdate(batch: RunBatch, counts: Partial<RunBatch["counts"]>): RunBatch {
  return buildRunBatch({ id: batch.id, controlId: batch.controlId, createdAt: batch.createdAt, counts });
}

interface Fixture {
  catalog: Catalog;
  control: Control;
  scopeSets?: Page<ScopeSet>;
  computations?: Page<Computation>;
  points?: Page<Point>;
  verification?: ChainVerification;
  versions?: Page<ControlVersion>;
  declaration?: MashupEvidence | null;
  computationScopes?: ComputationScopes;
}

function setUp(overrides: Partial<Fixture> = {}) {
  const catalog = overrides.catalog ?? buildCatalog({ name: "ISO 27001", timeZone: "Europe/Madrid" });
  const control =
    overrides.control ??
    buildControl({
      catalogId: catalog.id,
      name: "Pull requests are reviewed",
      description: "Every merged pull request has an approving review.",
      mashupId: "pr-review",
      threshold: 95,
      period: "MONTHLY",
      params: { org: "acme", minApprovals: 2 },
    });
  const fixture: Required<Fixture> = {
    catalog,
    control,
    scopeSets: buildPage([buildScopeSet({ controlId: control.id, values: { org: "acme", repository: "api" } })]),
    computations: buildPage([buildComputation({ controlId: control.id, compliance: 75, result: "fail" })]),
    points: buildPage([
      buildPoint({
        controlId: control.id,
        value: 100,
        result: "pass",
        windowStart: "2025-03-01T00:00:00+01:00",
        windowEnd: "2025-04-01T00:00:00+02:00",
      }),
      buildPoint({
        controlId: control.id,
        value: 75,
        result: "fail",
        windowStart: "2025-04-01T00:00:00+02:00",
        windowEnd: "2025-05-01T00:00:00+02:00",
      }),
    ]),
    verification: buildChainVerification({ controlId: control.id, isIntact: true, pointCount: 2 }),
    versions: buildPage([]),
    declaration: null,
    computationScopes: { items: [{ scope: { org: "acme" }, count: 1 }] },
    ...overrides,
  };
  const requests = { computations: [] as URLSearchParams[], points: [] as URLSearchParams[], verifications: 0 };
  server.use(
    mashupsHandler(),
    scopesHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(fixture.control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(fixture.scopeSets)),
    http.get(`/api/v1/controls/${control.id}/computations`, ({ request }) => {
      requests.computations.push(new URL(request.url).searchParams);
      return HttpResponse.json(fixture.computations);
    }),
    http.get("/api/v1/points", ({ request }) => {
      const params = new URL(request.url).searchParams;
      // The handling section asks for the failing points apart from the timeline; only the timeline's are counted.
      if (params.get("result") === "fail") return HttpResponse.json(buildPage([]));
      requests.points.push(params);
      return HttpResponse.json(fixture.points);
    }),
    http.get(`/api/v1/controls/${control.id}/panels`, () => HttpResponse.json({ items: [] })),
    ...handlingHandlers(control.id),
    http.get(`/api/v1/controls/${control.id}/requirements`, () => HttpResponse.json({ items: [] })),
    http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(fixture.versions)),
    http.get(`/api/v1/controls/${control.id}/computation-scopes`, () => HttpResponse.json(fixture.computationScopes)),
    http.get("/api/v1/mashups/:id/evidence", ({ params }) =>
      HttpResponse.json(fixture.declaration ?? { mashupId: params.id, inputs: [], evidence: [] }),
    ),
    http.get("/api/v1/dashboards", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () => {
      requests.verifications += 1;
      return HttpResponse.json(fixture.verification);
    }),
  );
  const path = `/catalogs/${catalog.id}/controls/${control.id}`;
  return { ...fixture, requests, path };
}

describe("control page", () => {
  it("shows the control's header, definition, scope sets, computations and points", async () => {
    const { path, requests } = setUp();
    renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByRole("heading", { level: 1, name: "Pull requests are reviewed" })).toBeInTheDocument();
    expect(screen.getByText("Every merged pull request has an approving review.")).toBeInTheDocument();
    expect(screen.getByText("95 %")).toBeInTheDocument();
    expect(screen.getByText("Monthly")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "ISO 27001" })).toBeInTheDocument();

    const parameters = screen.getByRole("table", { name: "Parameters" });
    expect(
      within(parameters)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(["orgacme", "minApprovals2"]);

    expect(await screen.findByText("repository = api")).toBeInTheDocument();

    const computations = await screen.findByRole("table", { name: "Computations" });
    const [row] = within(computations).getAllByRole("row").slice(1);
    expect(row).toHaveTextContent(/Ready.*Fail.*75 %.*3 pass.*1 fail.*0 error.*0 n\/a/);

    expect(await screen.findByRole("img", { name: "Compliance per window, threshold 95 %" })).toBeInTheDocument();
    expect(await screen.findByText("Chain intact — 2 points")).toBeInTheDocument();
    expect(requests.points[0]?.get("controlId")).toBeTruthy();
    expect(requests.points[0]?.get("pageSize")).toBe("200");

    const flowLink = screen.getByRole("link", { name: /View Node-RED flow/ });
    expect(flowLink).toHaveAttribute("href", "/api/v1/mashups/editor?flow=pr-review");
    expect(flowLink).toHaveAttribute("target", "_blank");
  });

  it("opens from the catalog page's controls table", async () => {
    const { catalog, control } = setUp();
    server.use(http.get(`/api/v1/catalogs/${catalog.id}/controls`, () => HttpResponse.json(buildPage([control]))));
    const { user, router } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe() });

    await user.click(await screen.findByRole("link", { name: control.name }));

    expect(await screen.findByRole("heading", { level: 1, name: control.name })).toBeInTheDocument();
    expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}/controls/${control.id}`);
  });

  it("does not show the Node-RED flow link to a USER, who can still run the control", async () => {
    const { path } = setUp();
    renderApp(path, { me: buildMe({ role: "USER" }) });

    await screen.findByRole("heading", { level: 1, name: "Pull requests are reviewed" });

    expect(screen.queryByRole("link", { name: /View Node-RED flow/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Run now" })).toBeEnabled();
  });

  it("says the control does not exist on 404 not_found", async () => {
    const catalog = buildCatalog();
    const controlId = "00000000-0000-4000-8000-999999999999";
    server.use(
      mashupsHandler(),
      scopesHandler(),
      http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
      http.all(`/api/v1/controls/${controlId}/*`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get(`/api/v1/controls/${controlId}`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
      http.get("/api/v1/points", () => problemResponse({ status: 404, code: "not_found", title: "Not found" })),
    );
    renderApp(`/catalogs/${catalog.id}/controls/${controlId}`, { me: buildMe() });

    expect(await screen.findByRole("heading", { name: "Control not found" })).toBeInTheDocument();
  });

  it("shows a stale control as stale, with how long ago it was last evaluated, not as its last result", async () => {
    const { path, control, catalog } = setUp();
    const lastWeek = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    server.use(
      controlStatesHandler(catalog.id, [
        buildControlState({
          controlId: control.id,
          lastPoint: { result: "pass", value: 100, windowStart: lastWeek, windowEnd: lastWeek },
          state: "stale",
          staleAt: lastWeek,
          lastEvaluatedAt: lastWeek,
        }),
      ]),
    );
    renderApp(path, { me: buildMe({ role: "USER" }) });

    const state = (await screen.findByText("State")).parentElement!;
    await waitFor(() => expect(state).toHaveTextContent(/Stale.*last evaluated last week/));
    expect(state).not.toHaveTextContent("Pass");
  });

  it("runs now, follows the batch's event stream to done, then refetches the computations and points", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const { path, control, requests } = setUp();
    const batch = buildRunBatch({ controlId: control.id, counts: { queued: 2 } });
    let runBody: unknown;
    server.use(
      http.post(`/api/v1/controls/${control.id}/runs`, async ({ request }) => {
        runBody = await request.json();
        return HttpResponse.json(
          { batch, runs: [buildRun({ batchId: batch.id, controlId: control.id })], skipped: [] },
          { status: 202 },
        );
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "USER" }) });
    await screen.findByRole("table", { name: "Computations" });
    await waitFor(() => expect(requests.points).toHaveLength(1));
    const computationRequestsBefore = requests.computations.length;

    await user.click(screen.getByRole("button", { name: "Run now" }));

    const progress = await screen.findByRole("progressbar", { name: "Run progress" });
    expect(runBody).toEqual({});
    expect(progress).toHaveAttribute("aria-valuenow", "0");
    const source = FakeEventSource.latest();
    expect(source.url).toBe(`/api/v1/run-batches/${batch.id}/events`);

    act(() => source.emit("batch", batchUpdate(batch, { running: 1, succeeded: 1 })));
    await waitFor(() => expect(progress).toHaveAttribute("aria-valuenow", "50"));
    expect(screen.getByRole("list", { name: "Runs by status" })).toHaveTextContent(/Running 1.*Succeeded 1/);

    act(() => source.emit("batch", batchUpdate(batch, { succeeded: 2 })));
    await waitFor(() => expect(progress).toHaveAttribute("aria-valuenow", "100"));
    expect(screen.getByText("Done")).toBeInTheDocument();
    expect(source.isClosed).toBe(true);
    await waitFor(() => expect(requests.computations.length).toBeGreaterThan(computationRequestsBefore));
    await waitFor(() => expect(requests.points).toHaveLength(2));
  });

  it("polls the batch when the event stream fails, and shows why a run failed", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const { path, control, requests } = setUp();
    const batch = buildRunBatch({ controlId: control.id, counts: { queued: 1 } });
    const failedRun = buildRun({
      batchId: batch.id,
      controlId: control.id,
      status: "failed",
      attempts: 1,
      error: "The mashup answered 200 without an evidences array",
    });
    let batchRequests = 0;
    const runRequests: URLSearchParams[] = [];
    server.use(
      http.post(`/api/v1/controls/${control.id}/runs`, () =>
        HttpResponse.json({ batch, runs: [], skipped: [] }, { status: 202 }),
      ),
      http.get(`/api/v1/run-batches/${batch.id}`, () => {
        batchRequests += 1;
        return HttpResponse.json(batchUpdate(batch, { failed: 1 }));
      }),
      http.get("/api/v1/runs", ({ request }) => {
        runRequests.push(new URL(request.url).searchParams);
        return HttpResponse.json(buildPage([failedRun]));
      }),
    );
    const { user } = renderApp(path, { me: buildMe() });
    await screen.findByRole("table", { name: "Computations" });
    const computationRequestsBefore = requests.computations.length;

    await user.click(screen.getByRole("button", { name: "Run now" }));
    await screen.findByRole("progressbar", { name: "Run progress" });
    act(() => FakeEventSource.latest().emit("error"));

    expect(await screen.findByText("The mashup answered 200 without an evidences array")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Run progress" })).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByText("Done: 1 run did not succeed")).toBeInTheDocument();
    expect(batchRequests).toBeGreaterThanOrEqual(1);
    expect(runRequests[0]?.get("batchId")).toBe(batch.id);
    await waitFor(() => expect(requests.computations.length).toBeGreaterThan(computationRequestsBefore));
  });

  it("polls the batch where the browser has no EventSource", async () => {
    vi.stubGlobal("EventSource", undefined);
    const { path, control } = setUp();
    const batch = buildRunBatch({ controlId: control.id, counts: { queued: 1 } });
    server.use(
      http.post(`/api/v1/controls/${control.id}/runs`, () =>
        HttpResponse.json({ batch, runs: [], skipped: [] }, { status: 202 }),
      ),
      http.get(`/api/v1/run-batches/${batch.id}`, () => HttpResponse.json(batchUpdate(batch, { succeeded: 1 }))),
    );
    const { user } = renderApp(path, { me: buildMe() });
    await screen.findByRole("table", { name: "Computations" });

    await user.click(screen.getByRole("button", { name: "Run now" }));

    const progress = await screen.findByRole("progressbar", { name: "Run progress" });
    await waitFor(() => expect(progress).toHaveAttribute("aria-valuenow", "100"));
    expect(screen.getByText("Done")).toBeInTheDocument();
  });

  it("shows why a control cannot run next to the button (409 control_not_runnable)", async () => {
    const { path, control } = setUp();
    server.use(
      http.post(`/api/v1/controls/${control.id}/runs`, () =>
        problemResponse({
          status: 409,
          code: "control_not_runnable",
          title: "Conflict",
          detail: "The control has no mashup to run",
        }),
      ),
    );
    const { user } = renderApp(path, { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Run now" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The control has no mashup to run");
  });

  it("runs a range entered in the catalog's time zone, and says which windows outside the control's life it left out", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const { path, control } = setUp();
    const batch = buildRunBatch({ controlId: control.id, counts: { queued: 3 } });
    let runBody: unknown;
    const skipped = [
      { reason: "before_start", count: 2 },
      { reason: "after_end", count: 1 },
    ];
    server.use(
      http.post(`/api/v1/controls/${control.id}/runs`, async ({ request }) => {
        runBody = await request.json();
        return HttpResponse.json({ batch, runs: [], skipped }, { status: 202 });
      }),
    );
    const { user } = renderApp(path, { me: buildMe() });
    await screen.findByRole("link", { name: "ISO 27001" });

    await user.click(await screen.findByRole("button", { name: "Run a range" }));
    const form = screen.getByRole("form", { name: "Run a range" });
    fireEvent.change(within(form).getByLabelText("From"), { target: { value: "2025-03-01T00:00" } });
    fireEvent.change(within(form).getByLabelText("To"), { target: { value: "2025-02-01T00:00" } });
    await user.click(within(form).getByRole("button", { name: "Run range" }));
    expect(await within(form).findByText("Must be after from")).toBeInTheDocument();

    fireEvent.change(within(form).getByLabelText("To"), { target: { value: "2025-06-01T00:00" } });
    await user.click(within(form).getByRole("button", { name: "Run range" }));

    await screen.findByRole("progressbar", { name: "Run progress" });
    expect(runBody).toEqual({ from: "2025-03-01T00:00:00+01:00", to: "2025-06-01T00:00:00+02:00" });
    expect(screen.queryByRole("form", { name: "Run a range" })).not.toBeInTheDocument();
    const notice = screen.getByText("3 windows outside the control's life not run").parentElement!;
    expect(notice).toHaveTextContent("2 windows before the control's start date");
    expect(notice).toHaveTextContent("1 window past the control's end date");
  });

  it("opens a computation's evidence from its row, filters it by result and keeps both in the URL", async () => {
    const computation = buildComputation({
      compliance: 50,
      result: "fail",
      passCount: 1,
      failCount: 1,
      evidenceCount: 2,
    });
    const { path, control } = setUp({ computations: buildPage([computation]) });
    const longValue = { reviewers: Array.from({ length: 20 }, (_, index) => `reviewer-${index}`) };
    const detail: ComputationDetail = buildComputationDetail(computation, [
      buildEvidence({ position: 0, key: "acme/api#12", value: { reviewed: true }, result: "pass" }),
      buildEvidence({ position: 1, key: "acme/api#13", value: longValue, result: "fail" }),
    ]);
    server.use(http.get(`/api/v1/computations/${computation.id}`, () => HttpResponse.json(detail)));
    const { user, router } = renderApp(path, { me: buildMe() });
    expect(control.id).toBeTruthy();

    const toggle = within(await screen.findByRole("table", { name: "Computations" })).getByRole("button", {
      expanded: false,
    });
    await user.click(toggle);

    const evidence = await screen.findByRole("table", { name: "Evidence" });
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(within(evidence).getAllByRole("row").slice(1)).toHaveLength(2);
    expect(within(evidence).getByText("acme/api#12")).toBeInTheDocument();
    expect(currentUrl(router).searchParams.get("computation")).toBe(computation.id);

    expect(within(evidence).queryByText(/reviewer-19/)).not.toBeInTheDocument();
    await user.click(within(evidence).getByRole("button", { name: "Show all" }));
    expect(within(evidence).getByText(/reviewer-19/)).toBeInTheDocument();

    await user.selectOptions(screen.getByRole("combobox", { name: "Evidence result" }), "fail");

    await waitFor(() =>
      expect(
        within(screen.getByRole("table", { name: "Evidence" }))
          .getAllByRole("row")
          .slice(1),
      ).toHaveLength(1),
    );
    expect(screen.getByRole("table", { name: "Evidence" })).toHaveTextContent("acme/api#13");
    expect(currentUrl(router).searchParams.get("evidence")).toBe("fail");
  });

  it("says a computation's evidence was pruned under the retention policy, keeping its counts", async () => {
    const computation = buildComputation({ evidenceCount: 4, detailPrunedAt: "2026-07-01T03:00:00Z" });
    const { path } = setUp({ computations: buildPage([computation]) });
    server.use(
      http.get(`/api/v1/computations/${computation.id}`, () =>
        HttpResponse.json(buildComputationDetail(computation, [])),
      ),
    );
    renderApp(`${path}?computation=${computation.id}`, { me: buildMe() });

    const notice = await screen.findByText("Evidence pruned under the retention policy");
    expect(notice.closest("[role]") ?? notice.parentElement).toHaveTextContent(/The 4 evidence items were removed/);
    expect(screen.queryByText("This computation has no evidence")).not.toBeInTheDocument();
  });

  it("says a computation is still computing while the API answers 202", async () => {
    const computation = buildComputation({
      status: "pending",
      result: null,
      compliance: null,
      isProvisional: true,
      recording: "provisional",
    });
    const { path } = setUp({ computations: buildPage([computation]) });
    server.use(
      http.get(`/api/v1/computations/${computation.id}`, () =>
        HttpResponse.json(
          { code: 202, message: "Not ready yet", id: computation.id, runId: computation.runId, status: "pending" },
          { status: 202 },
        ),
      ),
    );
    const { user } = renderApp(`${path}?computation=${computation.id}`, { me: buildMe() });

    const computations = await screen.findByRole("table", { name: "Computations" });
    expect(within(computations).getByText("Provisional · not recorded")).toBeInTheDocument();
    expect(within(computations).getByText("Computing")).toBeInTheDocument();
    expect(await screen.findByText("Still computing")).toBeInTheDocument();

    await user.click(within(computations).getByRole("button", { expanded: true }));
    await waitFor(() => expect(screen.queryByText("Still computing")).not.toBeInTheDocument());
  });

  it("shows a broken chain of points and verifies again on request", async () => {
    const { path, requests } = setUp({
      verification: buildChainVerification({
        isIntact: false,
        pointCount: 5,
        problem: "Point 3 does not match its hash",
        firstBrokenPointId: "00000000-0000-4000-8000-000000000003",
      }),
    });
    const { user } = renderApp(path, { me: buildMe() });

    expect(await screen.findByText("Chain broken: Point 3 does not match its hash")).toBeInTheDocument();
    const before = requests.verifications;

    await user.click(screen.getByRole("button", { name: "Verify again" }));

    await waitFor(() => expect(requests.verifications).toBe(before + 1));
  });

  it("keeps the computations page in the URL", async () => {
    const { path, requests } = setUp({ computations: buildPage([buildComputation()], { total: 60 }) });
    const { user, router } = renderApp(path, { me: buildMe() });

    const history = (await screen.findByRole("heading", { name: "Computation history" })).closest("section");
    if (!history) throw new Error("No computation history section");
    await user.click(await within(history).findByRole("button", { name: "Next" }));

    await waitFor(() => expect(currentUrl(router).searchParams.get("page")).toBe("2"));
    await waitFor(() => expect(requests.computations.at(-1)?.get("page")).toBe("2"));
    expect(requests.computations.at(-1)?.get("sort")).toBe("-windowStart");
  });

  describe("evidence that explains itself", () => {
    function accessReviewFixture(declaration: MashupEvidence | null) {
      const catalog = buildCatalog({ name: "ISO 27001", timeZone: "UTC" });
      const control = buildControl({
        catalogId: catalog.id,
        name: "Privileged access reviewed",
        mashupId: "privileged-access-reviewed",
        params: { maxReviewAgeDays: 7 },
      });
      const computation = buildComputation({ controlId: control.id, scope: { team: "platform" } });
      const fixture = setUp({ catalog, control, computations: buildPage([computation]), declaration });
      const detail = buildComputationDetail(computation, [
        buildEvidence({ position: 0, key: "ana@aws-prod", value: 57, result: "fail" }),
        buildEvidence({ position: 1, key: "bob@aws-prod", value: 3, result: "pass" }),
      ]);
      server.use(http.get(`/api/v1/computations/${computation.id}`, () => HttpResponse.json(detail)));
      return { ...fixture, computation };
    }
    const declaration: MashupEvidence = {
      mashupId: "privileged-access-reviewed",
      inputs: [{ name: "maxReviewAgeDays", type: "number", default: 90 }],
      evidence: [
        { key: "*", label: "Days since the last review", unit: "days", rule: { op: "<=", param: "maxReviewAgeDays" } },
      ],
    };

    it("shows each evidence's label, value with unit, the rule with the control's parameter value, and the result", async () => {
      const { path, computation } = accessReviewFixture(declaration);
      renderApp(`${path}?computation=${computation.id}`, { me: buildMe() });

      const evidence = await screen.findByRole("table", { name: "Evidence" });
      expect(
        within(evidence)
          .getAllByRole("columnheader")
          .map((header) => header.textContent),
      ).toEqual(["Key", "Checked", "Value", "Rule", "Result", "From", "To"]);
      const [ana] = within(evidence).getAllByRole("row").slice(1);
      expect(
        within(ana!)
          .getAllByRole("cell")
          .slice(0, 5)
          .map((cell) => cell.textContent),
      ).toEqual(["ana@aws-prod", "Days since the last review", "57 days", "≤ 7 days (maxReviewAgeDays)", "Fail"]);
    });

    it("takes the mashup's default where the control sets no value", async () => {
      const { path, computation, control } = accessReviewFixture(declaration);
      control.params = {};
      renderApp(`${path}?computation=${computation.id}`, { me: buildMe() });

      const evidence = await screen.findByRole("table", { name: "Evidence" });
      expect(within(evidence).getAllByText("≤ 90 days (maxReviewAgeDays)")).toHaveLength(2);
    });

    it("falls back to the key, the raw value and the result where the mashup declares nothing, or its declaration is broken", async () => {
      const { path, computation } = accessReviewFixture(null);
      server.use(
        http.get("/api/v1/mashups/:id/evidence", () =>
          problemResponse({
            status: 422,
            code: "evidence_declaration_invalid",
            title: "The mashup's evidence declaration is invalid",
          }),
        ),
      );
      renderApp(`${path}?computation=${computation.id}`, { me: buildMe() });

      const evidence = await screen.findByRole("table", { name: "Evidence" });
      expect(
        within(evidence)
          .getAllByRole("columnheader")
          .map((header) => header.textContent),
      ).toEqual(["Key", "Value", "Result", "From", "To"]);
      expect(within(evidence).getAllByRole("row")[1]).toHaveTextContent(/ana@aws-prod.*57.*Fail/);
    });
  });

  describe("computation history", () => {
    it("shows scope, version, recorded-or-not, result and compliance; a draft's computation reads not recorded", async () => {
      const recorded = buildComputation({ scope: { team: "payments" }, controlVersion: 2, result: "fail" });
      const draft = buildComputation({
        scope: { team: "mobile" },
        controlVersion: null,
        pointId: null,
        recording: "draft",
        result: "pass",
        compliance: 100,
      });
      const { path } = setUp({ computations: buildPage([recorded, draft]) });
      renderApp(path, { me: buildMe() });

      const table = await screen.findByRole("table", { name: "Computations" });
      expect(
        within(table)
          .getAllByRole("columnheader")
          .map((header) => header.textContent?.replace(/[▲▼]/g, "")),
      ).toEqual(["Window", "Scope", "Version", "Recorded", "Status", "Result", "Compliance", "Evidence"]);
      const [first, second] = within(table).getAllByRole("row").slice(1);
      expect(first).toHaveTextContent(/team = payments.*v2.*Recorded.*Ready.*Fail.*75 %/);
      expect(second).toHaveTextContent(/team = mobile.*—.*Draft · not recorded.*Ready.*Pass.*100 %/);
    });

    it("filters by result and scope and sorts by a header, all through the URL and the request", async () => {
      const { path, requests } = setUp({
        computationScopes: {
          items: [
            { scope: { team: "payments" }, count: 4 },
            { scope: { team: "mobile", repository: "app" }, count: 2 },
          ],
        },
      });
      const { user, router } = renderApp(path, { me: buildMe() });
      await screen.findByRole("table", { name: "Computations" });

      // Each change waits for the page to show it: the next one merges into the address the page last rendered.
      await user.selectOptions(screen.getByRole("combobox", { name: "Result" }), "fail");
      await waitFor(() => expect(screen.getByRole("combobox", { name: "Result" })).toHaveValue("fail"));
      expect(currentUrl(router).searchParams.get("result")).toBe("fail");
      expect(requests.computations.at(-1)?.get("result")).toBe("fail");

      const scope = screen.getByRole("combobox", { name: "Scope" });
      expect(within(scope).getByRole("option", { name: "team = mobile, repository = app (2)" })).toBeInTheDocument();
      await user.selectOptions(scope, "team:mobile,repository:app");
      await waitFor(() =>
        expect(screen.getByRole("combobox", { name: "Scope" })).toHaveValue("team:mobile,repository:app"),
      );
      expect(currentUrl(router).searchParams.get("scope")).toBe("team:mobile,repository:app");
      expect(requests.computations.at(-1)?.get("scope")).toBe("team:mobile,repository:app");

      const computations = screen.getByRole("table", { name: "Computations" });
      const compliance = within(computations).getByRole("columnheader", { name: /Compliance/ });
      expect(compliance).toHaveAttribute("aria-sort", "none");
      await user.click(within(compliance).getByRole("button"));
      await waitFor(() =>
        expect(
          within(screen.getByRole("table", { name: "Computations" })).getByRole("columnheader", { name: /Compliance/ }),
        ).toHaveAttribute("aria-sort", "ascending"),
      );
      expect(currentUrl(router).searchParams.get("sort")).toBe("compliance");
      expect(Object.fromEntries(requests.computations.at(-1) ?? [])).toMatchObject({
        sort: "compliance",
        result: "fail",
        scope: "team:mobile,repository:app",
      });
    }, 60_000);

    it("opens a linked computation on the page that holds it, scrolled into view with its evidence", async () => {
      const scrolled: Element[] = [];
      vi.stubGlobal("scrollTo", () => undefined);
      const original = Object.getOwnPropertyDescriptor(Element.prototype, "scrollIntoView");
      Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
        scrolled.push(this);
      };
      try {
        const linked = buildComputation({ result: "fail", windowStart: "2025-01-01T00:00:00Z" });
        const { path, requests } = setUp({
          computations: buildPage([buildComputation({ result: "pass" }), linked], { page: 3, total: 52 }),
        });
        server.use(
          http.get(`/api/v1/computations/${linked.id}`, () =>
            HttpResponse.json(
              buildComputationDetail(linked, [
                buildEvidence({ key: "prod-2025-01-01", value: "failed", result: "fail" }),
              ]),
            ),
          ),
        );
        renderApp(`${path}?computation=${linked.id}`, { me: buildMe() });

        const evidence = await screen.findByRole("table", { name: "Evidence" });
        expect(evidence).toHaveTextContent("prod-2025-01-01");
        expect(requests.computations[0]?.get("around")).toBe(linked.id);
        const row = document.getElementById(`computation-${linked.id}`)!;
        expect(within(row).getByRole("button", { expanded: true })).toBeInTheDocument();
        await waitFor(() => expect(scrolled).toContain(row));
        expect(screen.getByRole("navigation", { name: /pagination/i })).toHaveTextContent("Page 3 of 3");
      } finally {
        if (original) Object.defineProperty(Element.prototype, "scrollIntoView", original);
        else Reflect.deleteProperty(Element.prototype, "scrollIntoView");
      }
    });
  });
});
