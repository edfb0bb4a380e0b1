// @vitest-environment jsdom
import type { Control, ControlState } from "@status/shared";
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildControl,
  buildControlState,
  buildMashup,
  buildMe,
  buildPage,
  buildRunBatch,
} from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function setUp({
  catalog = buildCatalog({ timeZone: "UTC" }),
  controls = [] as Control[],
  states = [] as ControlState[],
} = {}) {
  const controlRequests: URLSearchParams[] = [];
  server.use(
    mashupsHandler([
      buildMashup(),
      buildMashup({
        id: "nightly-backups",
        name: "Nightly backups",
        url: "/nightly",
        inputs: [{ name: "acceptPartial", type: "boolean", default: false }],
      }),
    ]),
    controlStatesHandler(catalog.id, states),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, ({ request }) => {
      controlRequests.push(new URL(request.url).searchParams);
      return HttpResponse.json(buildPage(controls));
    }),
  );
  return { catalog, controlRequests, path: `/catalogs/${catalog.id}` };
}

describe("catalog page: controls", () => {
  it("adds a control bound to a mashup, with its declared inputs as fields, and opens it", async () => {
    const { catalog, path } = setUp();
    let body: unknown;
    const created = buildControl({ catalogId: catalog.id, name: "Reviews" });
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/controls`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(created, { status: 201 });
      }),
      http.get(`/api/v1/controls/${created.id}`, () => HttpResponse.json(created)),
      http.get(`/api/v1/controls/${created.id}/scope-sets`, () => HttpResponse.json(buildPage([]))),
      http.get(`/api/v1/controls/${created.id}/computations`, () => HttpResponse.json(buildPage([]))),
      http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
      http.get(`/api/v1/controls/${created.id}/points/verify`, () =>
        HttpResponse.json({
          controlId: created.id,
          isIntact: true,
          pointCount: 0,
          checkedAt: "2025-06-01T00:00:00Z",
          firstBrokenPointId: null,
          problem: null,
        }),
      ),
      http.get("/api/v1/scopes", () => HttpResponse.json(buildPage([]))),
    );
    const { user, router } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Add control" }));
    const dialog = await screen.findByRole("dialog", { name: "New control" });
    await user.type(within(dialog).getByLabelText("Name"), "Reviews");
    await user.selectOptions(within(dialog).getByLabelText("Period"), "WEEKLY");
    await user.clear(within(dialog).getByLabelText("Threshold (%)"));
    await user.type(within(dialog).getByLabelText("Threshold (%)"), "90");
    await user.selectOptions(within(dialog).getByLabelText("Mashup"), "pull-requests-reviewed");
    const input = await within(dialog).findByLabelText("minApprovals (number)");
    expect(within(dialog).getByText("Blank: the flow's default, 1.")).toBeInTheDocument();
    await user.type(input, "2");
    await user.type(within(dialog).getByLabelText("Start date"), "2025-02-01");
    await user.click(within(dialog).getByRole("button", { name: "Create control" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}/controls/${created.id}`));
    expect(body).toEqual({
      name: "Reviews",
      description: "",
      period: "WEEKLY",
      startDate: "2025-02-01T00:00:00+00:00",
      endDate: null,
      kind: "mashup",
      mashupId: "pull-requests-reviewed",
      params: { minApprovals: 2 },
      threshold: 90,
      staleGraceMinutes: null, // blank: one period
    });
  });

  it("adds a push control: no mashup picker, and no mashup or parameters sent", async () => {
    const { catalog, path } = setUp();
    let body: unknown;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/controls`, async ({ request }) => {
        body = await request.json();
        return problemResponse({ status: 409, code: "conflict", title: "Conflict", detail: "Stop here" });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: "Add control" }));
    const dialog = await screen.findByRole("dialog", { name: "New control" });
    await user.type(within(dialog).getByLabelText("Name"), "Branch protection");
    // A mashup chosen first is dropped once the kind is push.
    await user.selectOptions(within(dialog).getByLabelText("Mashup"), "pull-requests-reviewed");
    await user.selectOptions(within(dialog).getByLabelText("Evidence from"), "push");
    expect(within(dialog).queryByLabelText("Mashup")).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText("Other parameters (JSON)")).not.toBeInTheDocument();
    expect(within(dialog).getByText(/ready-to-copy curl/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Create control" }));

    await waitFor(() =>
      expect(body).toMatchObject({ name: "Branch protection", kind: "push", mashupId: null, params: {} }),
    );
    expect(await within(dialog).findByText("Stop here")).toBeInTheDocument();
  });

  it("checks the form before sending and puts the server's problem on the fields it names", async () => {
    const { catalog, path } = setUp();
    let posts = 0;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/controls`, () => {
        posts += 1;
        return problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [
            { path: "body.params.minApprovals", message: "Too many approvals" },
            { path: "body.name", message: "Taken in this catalog" },
          ],
        });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: "Add control" }));
    const dialog = await screen.findByRole("dialog", { name: "New control" });

    await user.clear(within(dialog).getByLabelText("Threshold (%)"));
    await user.type(within(dialog).getByLabelText("Threshold (%)"), "150");
    await user.selectOptions(within(dialog).getByLabelText("Mashup"), "pull-requests-reviewed");
    await user.type(await within(dialog).findByLabelText("minApprovals (number)"), "many");
    await user.click(within(dialog).getByRole("button", { name: "Create control" }));

    expect(await within(dialog).findByText("Required")).toBeInTheDocument();
    expect(within(dialog).getByText("Must be between 0 and 100")).toBeInTheDocument();
    expect(within(dialog).getByText("Enter a number")).toBeInTheDocument();
    expect(posts).toBe(0);

    await user.type(within(dialog).getByLabelText("Name"), "Reviews");
    await user.clear(within(dialog).getByLabelText("Threshold (%)"));
    await user.type(within(dialog).getByLabelText("Threshold (%)"), "90");
    await user.clear(within(dialog).getByLabelText("minApprovals (number)"));
    await user.type(within(dialog).getByLabelText("minApprovals (number)"), "9");
    await user.click(within(dialog).getByRole("button", { name: "Create control" }));

    expect(await within(dialog).findByText("Too many approvals")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("minApprovals (number)")).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByText("Taken in this catalog")).toBeInTheDocument();
    expect(posts).toBe(1);
  });

  it("shows each control's current state, last run and next run", async () => {
    const catalog = buildCatalog({ status: "finalized", timeZone: "UTC" });
    const failing = buildControl({ catalogId: catalog.id, name: "Backups", status: "finalized" });
    const fresh = buildControl({ catalogId: catalog.id, name: "Reviews", status: "finalized" });
    const stale = buildControl({ catalogId: catalog.id, name: "Tickets", status: "finalized" });
    const threeWeeksAgo = new Date(Date.now() - 21 * 24 * 3600 * 1000).toISOString();
    setUp({
      catalog,
      controls: [failing, fresh, stale],
      states: [
        buildControlState({
          controlId: stale.id,
          // Its last point passed, but long ago: it shows as stale, never as passing.
          lastPoint: { result: "pass", value: 100, windowStart: threeWeeksAgo, windowEnd: threeWeeksAgo },
          state: "stale",
          staleAt: threeWeeksAgo,
          lastEvaluatedAt: threeWeeksAgo,
        }),
        buildControlState({
          controlId: failing.id,
          lastPoint: {
            result: "fail",
            value: 66.67,
            windowStart: "2025-05-01T00:00:00Z",
            windowEnd: "2025-05-02T00:00:00Z",
          },
          failingScopes: 2,
          lastRun: {
            id: failing.id,
            status: "succeeded",
            createdAt: "2025-05-02T00:01:00Z",
            finishedAt: "2025-05-02T00:02:00Z",
          },
          nextRun: {
            windowStart: "2999-01-01T00:00:00Z",
            windowEnd: "2999-01-02T00:00:00Z",
            dueAt: "2999-01-02T00:00:00Z",
          },
        }),
        buildControlState({ controlId: fresh.id }),
      ],
    });
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table", { name: "Controls" }))
      .getAllByRole("row")
      .slice(1);
    await waitFor(() => expect(rows[0]).toHaveTextContent(/Backups.*Fail.*66\.7 %.*2 scopes failing.*Succeeded/));
    expect(rows[0]).toHaveTextContent("2999");
    expect(rows[1]).toHaveTextContent(/Reviews.*Not yet evaluated.*Never.*Not scheduled/);
    expect(rows[2]).toHaveTextContent(/Tickets.*Stale.*last evaluated 3 weeks ago/);
    expect(rows[2]).not.toHaveTextContent("Pass");
    expect(screen.queryByRole("button", { name: "Add control" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit" })).not.toBeInTheDocument();
  });

  it("keeps the search, status and period filters in the URL and asks the API for exactly them", async () => {
    const { controlRequests, path } = setUp({ controls: [buildControl()] });
    const { user, router } = renderApp(path, { me: buildMe() });

    // The router commits the new address in a transition; flush it so the next change merges into it.
    const settle = () => act(async () => {});
    await user.selectOptions(await screen.findByLabelText("Period"), "DAILY");
    await waitFor(() => expect(currentUrl(router).searchParams.get("period")).toBe("DAILY"));
    await settle();
    await user.selectOptions(screen.getByLabelText("Status"), "finalized");
    await waitFor(() => expect(currentUrl(router).searchParams.get("status")).toBe("finalized"));
    await settle();
    await user.type(screen.getByLabelText("Search controls"), "backup");

    await waitFor(() => expect(currentUrl(router).searchParams.get("q")).toBe("backup"));
    expect(currentUrl(router).searchParams.get("period")).toBe("DAILY");
    expect(currentUrl(router).searchParams.get("status")).toBe("finalized");
    await waitFor(() => expect(controlRequests.at(-1)?.toString()).toContain("q=backup"));
    expect(controlRequests.at(-1)?.get("period")).toBe("DAILY");
  });

  it("filters by state, result and scope and sorts by a column header, all in the URL", async () => {
    const { controlRequests, path } = setUp({ controls: [buildControl()] });
    const { user, router } = renderApp(path, { me: buildMe() });
    const settle = () => act(async () => {});

    await user.selectOptions(await screen.findByLabelText("State"), "failing");
    await waitFor(() => expect(currentUrl(router).searchParams.get("state")).toBe("failing"));
    await settle();
    await user.selectOptions(screen.getByLabelText("Result"), "error");
    await waitFor(() => expect(currentUrl(router).searchParams.get("result")).toBe("error"));
    await settle();
    await user.type(screen.getByLabelText("Scope"), "team:payments");
    await waitFor(() => expect(currentUrl(router).searchParams.get("scope")).toBe("team:payments"));
    await settle();
    await user.click(screen.getByRole("button", { name: /Threshold/ }));

    await waitFor(() => expect(currentUrl(router).searchParams.get("sort")).toBe("threshold"));
    await waitFor(() => expect(controlRequests.at(-1)?.get("sort")).toBe("threshold"));
    const sent = controlRequests.at(-1)!;
    expect([sent.get("state"), sent.get("result"), sent.get("scope")]).toEqual(["failing", "error", "team:payments"]);
    await waitFor(() =>
      expect(screen.getByRole("columnheader", { name: /Threshold/ })).toHaveAttribute("aria-sort", "ascending"),
    );
  });

  it("runs the selected controls and deletes them after confirmation", async () => {
    const catalog = buildCatalog();
    const first = buildControl({ catalogId: catalog.id, name: "Backups" });
    const second = buildControl({ catalogId: catalog.id, name: "Reviews" });
    setUp({ catalog, controls: [first, second] });
    const ran: string[] = [];
    const deleted: string[] = [];
    server.use(
      http.post("/api/v1/controls/:id/runs", ({ params }) => {
        ran.push(String(params.id));
        const batch = buildRunBatch({ controlId: String(params.id), counts: { succeeded: 1 } });
        return HttpResponse.json({ batch, runs: [], skipped: [] }, { status: 202 });
      }),
      http.delete("/api/v1/controls/:id", ({ params }) => {
        deleted.push(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("checkbox", { name: "Select Backups" }));
    await user.click(screen.getByRole("checkbox", { name: "Select Reviews" }));
    const bulk = screen.getByRole("region", { name: "Bulk actions" });
    expect(bulk).toHaveTextContent("2 selected");
    await user.click(within(bulk).getByRole("button", { name: "Run selected (2)" }));
    await waitFor(() => expect(ran).toEqual([first.id, second.id]));
    expect(await within(bulk).findAllByRole("progressbar", { name: "Run progress" })).toHaveLength(2);

    await user.click(within(bulk).getByRole("button", { name: "Delete selected (2)" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete 2 controls?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete controls" }));
    await waitFor(() => expect(deleted).toEqual([first.id, second.id]));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Bulk actions" })).not.toBeInTheDocument());
  });

  it("runs every control with Run all and shows the batch's progress", async () => {
    const { catalog, path } = setUp({ controls: [buildControl()] });
    let runAllBody: unknown;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/runs`, async ({ request }) => {
        runAllBody = await request.json();
        const batch = buildRunBatch({ catalogId: catalog.id, controlId: null, counts: { succeeded: 3, queued: 1 } });
        return HttpResponse.json({ batch, runs: [], skipped: [] }, { status: 202 });
      }),
      http.get("/api/v1/run-batches/:id", ({ params }) =>
        HttpResponse.json(buildRunBatch({ id: String(params.id), counts: { succeeded: 4 } })),
      ),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "Run all" }));

    expect(runAllBody).toEqual({});
    const progress = await screen.findByRole("progressbar", { name: "Run progress" });
    await waitFor(() => expect(progress).toHaveAttribute("aria-valuenow", "100"));
  });
});

describe("catalog page: edit and delete", () => {
  it("edits the catalog's fields and shows the saved name", async () => {
    const { catalog, path } = setUp({
      catalog: buildCatalog({ name: "Old name", timeZone: "UTC", startDate: "2025-01-01T00:00:00Z" }),
    });
    let body: unknown;
    server.use(
      http.patch(`/api/v1/catalogs/${catalog.id}`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...catalog, name: "New name" });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Old name" });
    expect(within(dialog).getByLabelText("Start date")).toHaveValue("2025-01-01");
    await user.clear(within(dialog).getByLabelText("Name"));
    await user.type(within(dialog).getByLabelText("Name"), "New name");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    expect(await screen.findByRole("heading", { level: 1, name: "New name" })).toBeInTheDocument();
    expect(body).toMatchObject({ name: "New name", startDate: "2025-01-01T00:00:00+00:00", timeZone: "UTC" });
  });

  it("says when a catalog still has controls and deletes them only when asked to explicitly", async () => {
    const { catalog, path } = setUp({ catalog: buildCatalog({ name: "ISO", controlCount: 3 }) });
    const deletes: string[] = [];
    server.use(
      http.delete(`/api/v1/catalogs/${catalog.id}`, ({ request }) => {
        const cascade = new URL(request.url).searchParams.get("cascade");
        deletes.push(cascade ?? "none");
        if (cascade !== "true") {
          return problemResponse({
            status: 409,
            code: "catalog_has_controls",
            title: "Conflict",
            detail: "The catalog has 3 controls; delete them first or repeat with ?cascade=true",
          });
        }
        return new HttpResponse(null, { status: 204 });
      }),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    const { user, router } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “ISO”?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete catalog" }));

    expect(await within(dialog).findByText("This catalog still has controls")).toBeInTheDocument();
    expect(within(dialog).getByText(/with its 3 controls/)).toBeInTheDocument();
    expect(currentUrl(router).pathname).toBe(path);
    await user.click(within(dialog).getByRole("button", { name: "Delete catalog and its controls" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe("/catalogs"));
    expect(deletes).toEqual(["none", "true"]);
  });
});
