// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildControl,
  buildMashup,
  buildMe,
  buildPage,
  buildScope,
  buildScopeSet,
} from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse, scopesHandler } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

/** The API side of the wizard: records every write in order; `failScopeSetOnce` refuses the first scope set. */
function apiHandlers({ failScopeSetOnce = false } = {}) {
  const catalog = buildCatalog({ name: "SOC 2", timeZone: "UTC" });
  const writes: string[] = [];
  let isScopeSetRefused = false;
  server.use(
    mashupsHandler([buildMashup()]),
    scopesHandler([buildScope({ name: "environment", allowedValues: ["production", "staging"] })]),
    controlStatesHandler(catalog.id),
    http.post("/api/v1/catalogs", async ({ request }) => {
      writes.push(`catalog ${JSON.stringify(await request.json())}`);
      return HttpResponse.json(catalog, { status: 201 });
    }),
    http.post(`/api/v1/catalogs/${catalog.id}/controls`, async ({ request }) => {
      const body = (await request.json()) as { name: string };
      writes.push(`control ${body.name}`);
      return HttpResponse.json(buildControl({ catalogId: catalog.id, name: body.name }), { status: 201 });
    }),
    http.post("/api/v1/controls/:id/scope-sets", async ({ request, params }) => {
      const body = (await request.json()) as { values: Record<string, string> };
      if (failScopeSetOnce && !isScopeSetRefused) {
        isScopeSetRefused = true;
        return problemResponse({
          status: 503,
          code: "service_unavailable",
          title: "Service unavailable",
          detail: "The database is restarting",
        });
      }
      writes.push(`scope set ${JSON.stringify(body.values)}`);
      return HttpResponse.json(buildScopeSet({ controlId: String(params.id), values: body.values }), { status: 201 });
    }),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, () => HttpResponse.json(buildPage([]))),
  );
  return { catalog, writes };
}

async function fillWizard(user: ReturnType<typeof renderApp>["user"]) {
  await user.type(await screen.findByLabelText("Name"), "SOC 2");
  await user.clear(screen.getByLabelText("Time zone"));
  await user.type(screen.getByLabelText("Time zone"), "UTC");
  await user.type(screen.getByLabelText("Start date"), "2025-01-01");
  await user.click(screen.getByRole("button", { name: "Next" }));

  const newControl = await screen.findByRole("region", { name: "New control" });
  await user.type(within(newControl).getByLabelText("Name"), "Reviews");
  await user.selectOptions(within(newControl).getByLabelText("Mashup"), "pull-requests-reviewed");
  await user.click(within(newControl).getByRole("button", { name: "Add to catalog" }));
  expect(within(screen.getByRole("list", { name: "Drafted controls" })).getByText("Reviews")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Next" }));

  await user.click(await screen.findByRole("button", { name: "Add scope set to Reviews" }));
  await user.selectOptions(screen.getByLabelText("Value"), "production");
  await user.click(screen.getByRole("button", { name: "Add to control" }));
  expect(await screen.findByText("environment = production")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Next" }));
}

describe("catalog wizard", () => {
  it("collects details, controls and scope sets, then creates them in order and opens the catalog", async () => {
    const { catalog, writes } = apiHandlers();
    const { user, router } = renderApp("/catalogs/new", { me: buildMe({ role: "DEVELOPER" }) });

    await fillWizard(user);
    const plan = screen.getByRole("list", { name: "What will be created" });
    expect(
      within(plan)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringContaining("Create catalog “SOC 2”"),
      expect.stringContaining("Create control “Reviews”"),
      expect.stringContaining("Add scope set environment = production to “Reviews”"),
    ]);
    expect(writes).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Create catalog" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}`));
    expect(writes).toEqual([
      `catalog ${JSON.stringify({ name: "SOC 2", description: "", startDate: "2025-01-01T00:00:00+00:00", endDate: null, timeZone: "UTC", firstDayOfWeek: 1 })}`,
      "control Reviews",
      'scope set {"environment":"production"}',
    ]);
  });

  it("when a step fails, says what was saved and continues from there without creating anything twice", async () => {
    const { catalog, writes } = apiHandlers({ failScopeSetOnce: true });
    const { user, router } = renderApp("/catalogs/new", { me: buildMe({ role: "DEVELOPER" }) });

    await fillWizard(user);
    await user.click(screen.getByRole("button", { name: "Create catalog" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Stopped at: Add scope set environment = production to “Reviews”");
    expect(alert).toHaveTextContent("The database is restarting");
    expect(screen.getByText("Create catalog “SOC 2”").parentElement).toHaveTextContent("(done)");
    expect(screen.getByRole("link", { name: "Open the catalog" })).toHaveAttribute("href", `/catalogs/${catalog.id}`);
    await user.click(screen.getByRole("button", { name: "Continue" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/catalogs/${catalog.id}`));
    expect(writes.filter((write) => write.startsWith("catalog"))).toHaveLength(1);
    expect(writes.filter((write) => write.startsWith("control"))).toHaveLength(1);
    expect(writes.at(-1)).toBe('scope set {"environment":"production"}');
  });

  it("checks the details with the API's schema before moving on", async () => {
    apiHandlers();
    const { user } = renderApp("/catalogs/new", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Next" }));

    expect(await screen.findByText("Required")).toBeInTheDocument();
    expect(screen.getByRole("listitem", { current: "step" })).toHaveTextContent("1. Details");
  });

  it("is not offered to a USER", async () => {
    apiHandlers();
    renderApp("/catalogs/new", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByText("You do not have access to this page")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Next" })).not.toBeInTheDocument();
  });
});
