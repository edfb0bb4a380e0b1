// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage } from "@/testing/factories.ts";
import { buildFramework, buildImportResult, buildLibraryFramework } from "@/testing/framework-factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function listHandlers({ frameworks = [buildFramework()], library = [buildLibraryFramework()] } = {}) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/frameworks", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(buildPage(frameworks));
    }),
    http.get("/api/v1/frameworks/library", () => HttpResponse.json({ items: library })),
  );
  return requests;
}

describe("frameworks page", () => {
  it("lists the imported frameworks with their counts and links each to its page", async () => {
    const framework = buildFramework({ name: "SOC 2", version: "2017", source: "csv", requirementCount: 61 });
    listHandlers({ frameworks: [framework] });
    renderApp("/frameworks", { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table");
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent(/SOC 2.*2017.*CSV.*61/);
    expect(within(row).getByRole("link", { name: "SOC 2" })).toHaveAttribute("href", `/frameworks/${framework.id}`);
  });

  it("is in the navigation for every role", async () => {
    listHandlers();
    renderApp("/frameworks", { me: buildMe({ role: "USER" }) });
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Frameworks" })).toHaveAttribute("href", "/frameworks");
  });

  it("shows the library to a USER without install or import buttons", async () => {
    listHandlers();
    renderApp("/frameworks", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByText("NIST SP 800-53 Rev 5 LOW baseline")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Install/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Import framework" })).not.toBeInTheDocument();
  });

  it("installs a bundled framework in one click for a DEVELOPER and says what it stored", async () => {
    const installed = buildFramework();
    let installCalls = 0;
    listHandlers();
    server.use(
      http.post("/api/v1/frameworks/library/nist-800-53-rev5-low/install", () => {
        installCalls += 1;
        return HttpResponse.json(buildImportResult(installed), { status: 201 });
      }),
    );
    const { user } = renderApp("/frameworks", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Install NIST SP 800-53 Rev 5 LOW baseline" }));

    expect(await screen.findByText(/Installed: 3 new, 0 changed, 0 unchanged requirements/)).toBeInTheDocument();
    expect(installCalls).toBe(1);
  });

  it("offers Reinstall and a link to an installed library framework", async () => {
    const installedId = buildFramework().id;
    listHandlers({ library: [buildLibraryFramework({ installedFrameworkId: installedId })] });
    renderApp("/frameworks", { me: buildMe({ role: "ADMIN" }) });

    expect(await screen.findByRole("button", { name: "Reinstall NIST SP 800-53 Rev 5 LOW baseline" })).toBeEnabled();
    expect(screen.getByRole("link", { name: "Open" })).toHaveAttribute("href", `/frameworks/${installedId}`);
  });

  it("shows the install problem when the library cannot be installed", async () => {
    listHandlers();
    server.use(
      http.post("/api/v1/frameworks/library/:name/install", () =>
        problemResponse({
          status: 503,
          code: "service_unavailable",
          title: "Unavailable",
          detail: "The database is down.",
        }),
      ),
    );
    const { user } = renderApp("/frameworks", { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: /^Install / }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The database is down.");
  });

  it("shows an empty state that points to the library and import", async () => {
    listHandlers({ frameworks: [], library: [] });
    renderApp("/frameworks", { me: buildMe() });
    expect(await screen.findByText("No frameworks yet")).toBeInTheDocument();
    expect(screen.getByText("No frameworks are bundled with this installation.")).toBeInTheDocument();
  });

  it("shows the problem when the frameworks cannot be loaded", async () => {
    listHandlers();
    server.use(
      http.get("/api/v1/frameworks", () =>
        problemResponse({ status: 503, code: "service_unavailable", title: "Unavailable", detail: "No database." }),
      ),
    );
    renderApp("/frameworks", { me: buildMe() });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The frameworks could not be loaded");
    expect(alert).toHaveTextContent("No database.");
  });

  it("searches the frameworks through the URL", async () => {
    const requests = listHandlers();
    const { user } = renderApp("/frameworks", { me: buildMe() });
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Search"), "soc");
    await waitFor(() => expect(Object.fromEntries(requests.at(-1)!)).toMatchObject({ q: "soc" }));
  });
});
