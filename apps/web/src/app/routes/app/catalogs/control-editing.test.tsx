// @vitest-environment jsdom
import type { Control, ScopeSet } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildChainVerification,
  buildControl,
  buildControlVersion,
  buildMashup,
  buildMe,
  buildNextControlVersion,
  buildPage,
  buildScope,
  buildScopeSet,
} from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse, scopesHandler } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function setUp({
  control: controlOverrides = {},
  scopeSets = [] as ScopeSet[],
}: { control?: Partial<Control>; scopeSets?: ScopeSet[] } = {}) {
  const catalog = buildCatalog({ timeZone: "UTC" });
  let control = buildControl({
    catalogId: catalog.id,
    name: "Reviews",
    mashupId: "pull-requests-reviewed",
    params: { minApprovals: 2, org: "acme" },
    ...controlOverrides,
  });
  let sets = scopeSets;
  server.use(
    mashupsHandler([buildMashup()]),
    scopesHandler([
      buildScope({ name: "environment", allowedValues: ["production", "staging"] }),
      buildScope({ name: "team", type: "string" }),
    ]),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}`, () => HttpResponse.json(control)),
    http.get(`/api/v1/controls/${control.id}/scope-sets`, () => HttpResponse.json(buildPage(sets))),
    http.get(`/api/v1/controls/${control.id}/computations`, () => HttpResponse.json(buildPage([]))),
    http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
    http.get(`/api/v1/controls/${control.id}/points/verify`, () =>
      HttpResponse.json(buildChainVerification({ controlId: control.id, pointCount: 0 })),
    ),
    http.get(`/api/v1/controls/${control.id}/versions`, () =>
      HttpResponse.json(buildPage(control.version === null ? [] : [buildControlVersion({ controlId: control.id })])),
    ),
    http.get(`/api/v1/controls/${control.id}/versions/next`, () =>
      HttpResponse.json(
        control.version === null
          ? buildNextControlVersion({
              controlId: control.id,
              isVersioned: false,
              currentVersion: null,
              nextVersion: null,
              effectiveFrom: null,
              evaluatedThrough: null,
            })
          : buildNextControlVersion({ controlId: control.id }),
      ),
    ),
  );
  return {
    catalog,
    control,
    path: `/catalogs/${catalog.id}/controls/${control.id}`,
    setControl: (next: Control) => (control = next),
    setScopeSets: (next: ScopeSet[]) => (sets = next),
  };
}

describe("control page: editing", () => {
  it("edits a control: declared inputs are prefilled, other params kept as JSON", async () => {
    const { control, path, setControl } = setUp();
    let body: Record<string, unknown> | undefined;
    server.use(
      http.patch(`/api/v1/controls/${control.id}`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        const saved = { ...control, threshold: 80, params: body.params as Record<string, unknown> };
        setControl(saved);
        return HttpResponse.json(saved);
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Reviews" });
    await waitFor(() => expect(within(dialog).getByLabelText("minApprovals (number)")).toHaveValue("2"));
    expect(JSON.parse(within(dialog).getByLabelText<HTMLTextAreaElement>("Other parameters (JSON)").value)).toEqual({
      org: "acme",
    });
    await user.clear(within(dialog).getByLabelText("Threshold (%)"));
    await user.type(within(dialog).getByLabelText("Threshold (%)"), "80");
    expect(within(dialog).getByLabelText("Stale after (hours)")).toHaveValue(null); // blank: one period
    await user.type(within(dialog).getByLabelText("Stale after (hours)"), "36");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(body).toMatchObject({
      threshold: 80,
      staleGraceMinutes: 36 * 60,
      params: { minApprovals: 2, org: "acme" },
      mashupId: "pull-requests-reviewed",
    });
  });

  it("puts a 400 about the mashup on the Mashup field", async () => {
    const { control, path } = setUp({ control: { status: "finalized" } });
    server.use(
      http.patch(`/api/v1/controls/${control.id}`, () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.mashupId", message: "A finalized control needs a mashup" }],
        }),
      ),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Reviews" });
    await user.selectOptions(within(dialog).getByLabelText("Mashup"), "");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    expect(await within(dialog).findByText("A finalized control needs a mashup")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Mashup")).toHaveAttribute("aria-invalid", "true");
  });

  it("adds a scope set from the defined scopes and deletes one after confirmation", async () => {
    const existing = buildScopeSet({ values: { environment: "staging" } });
    const { control, path, setScopeSets } = setUp({ scopeSets: [] });
    setScopeSets([{ ...existing, controlId: control.id }]);
    let posted: unknown;
    let deleted = false;
    server.use(
      http.post(`/api/v1/controls/${control.id}/scope-sets`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json(
          buildScopeSet({ controlId: control.id, values: { environment: "production", team: "payments" } }),
          { status: 201 },
        );
      }),
      http.delete(`/api/v1/controls/${control.id}/scope-sets/${existing.id}`, () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Add scope set" }));
    const dialog = await screen.findByRole("dialog", { name: "New scope set" });
    await user.selectOptions(within(dialog).getByLabelText("Value"), "production");
    await user.click(within(dialog).getByRole("button", { name: "Add another scope" }));
    const values = within(dialog).getAllByLabelText("Value");
    await user.type(values[1]!, "payments");
    await user.click(within(dialog).getByRole("button", { name: "Add scope set" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(posted).toEqual({ values: { environment: "production", team: "payments" } });

    await user.click(screen.getByRole("button", { name: "Delete scope set environment = staging" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete scope set" }));
    await waitFor(() => expect(deleted).toBe(true));
  });

  it("replaces a scope set's values from its prefilled form", async () => {
    const existing = buildScopeSet({ values: { environment: "staging" } });
    const { control, path, setScopeSets } = setUp();
    setScopeSets([{ ...existing, controlId: control.id }]);
    let put: unknown;
    server.use(
      http.put(`/api/v1/controls/${control.id}/scope-sets/${existing.id}`, async ({ request }) => {
        put = await request.json();
        return HttpResponse.json({ ...existing, controlId: control.id, values: { environment: "production" } });
      }),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit scope set environment = staging" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit scope set" });
    expect(within(dialog).getByLabelText("Value")).toHaveValue("staging");
    await user.selectOptions(within(dialog).getByLabelText("Value"), "production");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(put).toEqual({ values: { environment: "production" } });
  });

  it("shows the API's complaint about a scope value on that value's field", async () => {
    const { control, path } = setUp();
    server.use(
      http.post(`/api/v1/controls/${control.id}/scope-sets`, () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.values.team", message: "Not an allowed value" }],
        }),
      ),
    );
    const { user } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Add scope set" }));
    const dialog = await screen.findByRole("dialog", { name: "New scope set" });
    await user.selectOptions(within(dialog).getByLabelText("Scope"), "team");
    await user.type(within(dialog).getByLabelText("Value"), "nobody");
    await user.click(within(dialog).getByRole("button", { name: "Add scope set" }));

    expect(await within(dialog).findByText("Not an allowed value")).toBeInTheDocument();
  });

  it("deletes the control after confirmation and returns to its catalog", async () => {
    const { catalog, control, path } = setUp();
    server.use(http.delete(`/api/v1/controls/${control.id}`, () => new HttpResponse(null, { status: 204 })));
    const { user, router } = renderApp(path, { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Delete" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Delete Reviews?" })).getByRole("button", {
        name: "Delete control",
      }),
    );

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}`));
  });

  it("offers no editing to a USER", async () => {
    const { path } = setUp({ scopeSets: [buildScopeSet()] });
    renderApp(path, { me: buildMe({ role: "USER" }) });

    expect(await screen.findByRole("heading", { level: 1, name: "Reviews" })).toBeInTheDocument();
    await screen.findByText(/org = acme/);
    for (const name of ["Edit", "Delete", "Add scope set"])
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Delete scope set/ })).not.toBeInTheDocument();
  });
});
