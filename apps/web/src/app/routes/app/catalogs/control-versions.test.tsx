// @vitest-environment jsdom
import type { Control, ControlVersion, Point } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildChainVerification,
  buildComputation,
  buildControl,
  buildControlVersion,
  buildMashup,
  buildMe,
  buildNextControlVersion,
  buildPage,
  buildPoint,
  buildScope,
  buildScopeSet,
} from "@/testing/factories.ts";
import {
  controlStatesHandler,
  mashupsHandler,
  problemResponse,
  scopesHandler,
  handlingHandlers,
} from "@/testing/http.ts";
import { formatDateTime } from "@/lib/format.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

/** A finalized control at version 2, with its history, two points per version and one scope set. */
function setUp({ points = [] as Point[], versions = [] as ControlVersion[] } = {}) {
  const catalog = buildCatalog({ timeZone: "UTC" });
  const control: Control = buildControl({
    catalogId: catalog.id,
    name: "Reviews",
    status: "finalized",
    version: 2,
    threshold: 95,
    mashupId: "pull-requests-reviewed",
    params: { minApprovals: 2 },
  });
  const scopeSet = buildScopeSet({ controlId: control.id, values: { environment: "staging" } });
  server.use(
    mashupsHandler([buildMashup()]),
    scopesHandler([buildScope({ name: "environment", allowedValues: ["production", "staging"] })]),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(buildPage([scopeSet]))),
    http.get(`/api/v1/controls/${control.id}/computations`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/panels`, () => HttpResponse.json({ items: [] })),
    http.get(`/api/v1/controls/${control.id}/requirements`, () => HttpResponse.json({ items: [] })),
    ...handlingHandlers(control.id),
    http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/dashboards", () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/points", () => HttpResponse.json(buildPage(points))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () =>
      HttpResponse.json(buildChainVerification({ controlId: control.id, pointCount: points.length })),
    ),
    http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(buildPage(versions))),
    http.get(`/api/v1/controls/${control.id}/versions/next`, ({ request }) =>
      HttpResponse.json(
        buildNextControlVersion({
          controlId: control.id,
          currentVersion: 2,
          nextVersion: 3,
          // A weekly version would start on the next Monday; the current monthly one on the 1st.
          effectiveFrom:
            new URL(request.url).searchParams.get("period") === "WEEKLY"
              ? "2025-06-02T00:00:00Z"
              : "2025-07-01T00:00:00Z",
        }),
      ),
    ),
  );
  return { catalog, control, scopeSet, path: `/catalogs/${catalog.id}/controls/${control.id}` };
}

const HISTORY = (controlId: string) => [
  buildControlVersion({
    controlId,
    version: 2,
    threshold: 95,
    params: { minApprovals: 2 },
    effectiveFrom: "2025-05-01T00:00:00Z",
    reason: "Auditor asked for two approvals",
    createdByName: "dana",
    isCurrent: true,
    pointCount: 2,
    changes: [
      { field: "threshold", before: 80, after: 95 },
      { field: "params.minApprovals", before: 1, after: 2 },
      { field: "scopeSets", before: [], after: [{ environment: "staging" }] },
    ],
  }),
  buildControlVersion({
    controlId,
    version: 1,
    threshold: 80,
    effectiveUntil: "2025-05-01T00:00:00Z",
    isCurrent: false,
    pointCount: 2,
  }),
];

describe("control page: versions", () => {
  it("shows the version history: who, when, why, from which window, and what changed", async () => {
    const { control, path } = setUp({});
    server.use(
      http.get(`/api/v1/controls/${control.id}/versions`, () => HttpResponse.json(buildPage(HISTORY(control.id)))),
      http.get(`/api/v1/controls/${control.id}/computations`, () =>
        HttpResponse.json(buildPage([buildComputation({ controlId: control.id, controlVersion: 2 })])),
      ),
    );
    renderApp(path, { me: buildMe({ role: "USER" }) });

    const history = await screen.findByRole("region", { name: "Version history" });
    expect(await within(history).findByRole("heading", { name: "Version 2" })).toBeInTheDocument();
    expect(within(history).getByText("Current")).toBeInTheDocument();
    expect(within(history).getByText("Auditor asked for two approvals")).toBeInTheDocument();
    const may = formatDateTime("2025-05-01T00:00:00Z", "UTC");
    expect(within(history).getByText(`From the window starting ${may} onwards.`)).toBeInTheDocument();
    expect(within(history).getByText(`From the control's first window until ${may}.`)).toBeInTheDocument();
    const changes = within(history).getByRole("list", { name: "Changes in version 2" });
    expect(
      within(changes)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["Threshold: 80 % → 95 %", "Parameter minApprovals: 1 → 2", "Scope set added: environment = staging"]);
    // The summary names the current version, and each computation the version it was computed under.
    expect(screen.getByRole("link", { name: "2" })).toHaveAttribute("href", "#control-versions-heading");
    expect(await screen.findByTitle("Computed under version 2 of the control")).toHaveTextContent("v2");
  });

  it("draws each point against the threshold of its own version", async () => {
    const { control, path } = setUp({});
    const point = (windowStart: string, threshold: number, controlVersion: number, value: number) =>
      buildPoint({
        controlId: control.id,
        windowStart,
        windowEnd: windowStart.replace(/-0(\d)-/, (_all, month: string) => `-0${Number(month) + 1}-`),
        threshold,
        controlVersion,
        value,
        result: value >= threshold ? "pass" : "fail",
      });
    server.use(
      http.get("/api/v1/points", () =>
        HttpResponse.json(
          // Newest first, as the API answers `sort=-windowStart`.
          buildPage([
            point("2025-06-01T00:00:00Z", 95, 2, 97),
            point("2025-05-01T00:00:00Z", 95, 2, 90),
            point("2025-04-01T00:00:00Z", 80, 1, 85),
            point("2025-03-01T00:00:00Z", 80, 1, 90),
          ]),
        ),
      ),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "USER" }) });

    const chart = await screen.findByRole("img", {
      name: "Compliance per window, against the threshold of each point's version",
    });
    // One step: flat at 80 % until between April and May, then flat at 95 %.
    const line = chart.querySelector("[data-testid='threshold-line']")!;
    expect(line.getAttribute("points")!.split(" ")).toHaveLength(4);
    await user.click(screen.getByText("Show data"));
    const rows = within(screen.getByRole("table", { name: /against the threshold/ })).getAllByRole("row");
    expect(rows.slice(1).map((row) => within(row).getAllByRole("cell")[2]!.textContent)).toEqual([
      "80 %",
      "80 %",
      "95 %",
      "95 %",
    ]);
    expect(chart.querySelector("circle title")?.textContent).toMatch(/against 80 % \(version 1\)/);
  });

  it("asks for the reason on a finalized control, says what will happen, and puts a 422 on the reason", async () => {
    const { control, path } = setUp({});
    const bodies: Record<string, unknown>[] = [];
    server.use(
      http.patch(`/api/v1/controls/${control.id}`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        bodies.push(body);
        if (!body.reason)
          return problemResponse({
            status: 422,
            code: "reason_required",
            title: "A reason is required",
            detail: "Changing the threshold of a finalized control creates version 3; say why in body.reason",
            errors: [
              { path: "body.reason", message: "Required: changing the threshold creates version 3 of the control" },
            ],
          });
        return HttpResponse.json({ ...control, threshold: 99, version: 3 });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Reviews" });
    const note = await within(dialog).findByRole("status");
    expect(note).toHaveTextContent("Changing the period, threshold, mashup or parameters creates version 3");
    const july = formatDateTime("2025-07-01T00:00:00Z", "UTC");
    expect(note).toHaveTextContent(`from the window starting ${july}, the next one not yet evaluated`);
    expect(note).toHaveTextContent("stay under version 2");
    // Another period: the new version would start on that period's next boundary.
    await user.selectOptions(within(dialog).getByLabelText("Period"), "WEEKLY");
    const monday = formatDateTime("2025-06-02T00:00:00Z", "UTC");
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent(monday));
    await user.selectOptions(within(dialog).getByLabelText("Period"), "MONTHLY");

    await user.clear(within(dialog).getByLabelText("Threshold (%)"));
    await user.type(within(dialog).getByLabelText("Threshold (%)"), "99");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    const reason = within(dialog).getByLabelText("Reason for the change");
    await waitFor(() => expect(reason).toHaveAttribute("aria-invalid", "true"));
    expect(within(dialog).getByText("Required: changing the threshold creates version 3 of the control")).toBeVisible();
    await user.type(reason, "Stricter after the audit");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(bodies.at(-1)).toMatchObject({ threshold: 99, reason: "Stricter after the audit" });
    expect(bodies[0]).not.toHaveProperty("reason");
  });

  it("asks for the reason before a scope set of a finalized control changes, and sends it", async () => {
    const { control, scopeSet, path } = setUp({});
    let posted: unknown;
    let deletedWith: string | null = null;
    server.use(
      http.post(`/api/v1/controls/${control.id}/scope-sets`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json(buildScopeSet({ controlId: control.id, values: { environment: "production" } }), {
          status: 201,
        });
      }),
      http.delete(`/api/v1/controls/${control.id}/scope-sets/${scopeSet.id}`, ({ request }) => {
        deletedWith = new URL(request.url).searchParams.get("reason");
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Add scope set" }));
    const dialog = await screen.findByRole("dialog", { name: "New scope set" });
    expect(await within(dialog).findByRole("status")).toHaveTextContent("Changing the scope sets creates version 3");
    await user.selectOptions(within(dialog).getByLabelText("Value"), "production");
    await user.click(within(dialog).getByRole("button", { name: "Add scope set" }));
    expect(await within(dialog).findByText("Say why: this change creates a new version")).toBeInTheDocument();
    expect(posted).toBeUndefined();
    await user.type(within(dialog).getByLabelText("Reason for the change"), "Production is in scope");
    await user.click(within(dialog).getByRole("button", { name: "Add scope set" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(posted).toEqual({ values: { environment: "production" }, reason: "Production is in scope" });

    await user.click(screen.getByRole("button", { name: "Delete scope set environment = staging" }));
    const confirm = await screen.findByRole("dialog");
    await user.click(within(confirm).getByRole("button", { name: "Delete scope set" }));
    expect(await within(confirm).findByText("Say why: this change creates a new version")).toBeInTheDocument();
    expect(deletedWith).toBeNull();
    await user.type(within(confirm).getByLabelText("Reason for the change"), "Staging is out of scope");
    await user.click(within(confirm).getByRole("button", { name: "Delete scope set" }));
    await waitFor(() => expect(deletedWith).toBe("Staging is out of scope"));
  });
});
