// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  buildCatalog,
  buildControl,
  buildDashboardDetail,
  buildDashboardSummary,
  buildMe,
  buildPage,
} from "@/testing/factories.ts";
import { grafanaSessionHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const FOLDERS = [{ uid: "team-a", title: "Team A" }];

function dashboardsHandler(page = buildPage([buildDashboardSummary()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/dashboards", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
    http.get("/api/v1/dashboard-folders", () => HttpResponse.json({ items: FOLDERS })),
    grafanaSessionHandler(),
  );
  return requests;
}

describe("dashboards page", () => {
  it("lists dashboards with their folder and a Grafana link, and filters by folder through the URL", async () => {
    const requests = dashboardsHandler(
      buildPage([
        buildDashboardSummary({
          uid: "abc",
          title: "ISO compliance",
          folderUid: "team-a",
          folderTitle: "Team A",
          tags: ["status", "catalog-compliance"],
        }),
      ]),
    );
    const { user, router } = renderApp("/dashboards", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(/ISO compliance.*Team A.*catalog-compliance/);
    expect(within(rows[0]!).getByRole("link", { name: "ISO compliance" })).toHaveAttribute("href", "/dashboards/abc");
    expect(within(rows[0]!).getByRole("link", { name: "Open ISO compliance in Grafana" })).toHaveAttribute(
      "href",
      "/grafana/d/abc",
    );

    await screen.findByRole("option", { name: "Team A" });
    await user.selectOptions(screen.getByLabelText("Folder"), "team-a");
    await waitFor(() => expect(requests.at(-1)!.get("folderUid")).toBe("team-a"));
    expect(currentUrl(router).searchParams.get("folderUid")).toBe("team-a");
  });

  it("offers a USER no create, import, delete or folder changes", async () => {
    dashboardsHandler();
    renderApp("/dashboards", { me: buildMe({ role: "USER" }) });

    await screen.findByRole("table");

    expect(screen.queryByRole("button", { name: "New dashboard" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Import JSON" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Delete / })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New folder" })).not.toBeInTheDocument();
  });

  it("says how to enable Grafana when the API has none", async () => {
    server.use(
      http.get("/api/v1/dashboards", () =>
        problemResponse({
          status: 503,
          code: "grafana_not_configured",
          title: "Service unavailable",
          detail: "Grafana is not configured",
        }),
      ),
      http.get("/api/v1/dashboard-folders", () =>
        problemResponse({ status: 503, code: "grafana_not_configured", title: "Service unavailable" }),
      ),
    );
    renderApp("/dashboards", { me: buildMe({ role: "ADMIN" }) });

    const notice = (await screen.findByText("Grafana is not connected")).closest("[role=status]");
    expect(notice).toHaveTextContent("Grafana is not connected");
    expect(notice).toHaveTextContent("GRAFANA_URL");
    expect(notice).toHaveTextContent("GRAFANA_SERVICE_ACCOUNT_TOKEN");
    expect(notice).toHaveTextContent("GRAFANA_ADMIN_PASSWORD");
  });

  it("says Grafana is starting while STATUS waits for it, and loads the dashboards on a retry once it answers", async () => {
    let isPending = true;
    server.use(
      http.get("/api/v1/dashboards", () =>
        isPending
          ? problemResponse({ status: 503, code: "grafana_pending", title: "Service unavailable" })
          : HttpResponse.json(buildPage([])),
      ),
      http.get("/api/v1/dashboard-folders", () => HttpResponse.json({ items: FOLDERS })),
      grafanaSessionHandler(),
    );
    const { user } = renderApp("/dashboards", { me: buildMe({ role: "ADMIN" }) });

    const notice = (await screen.findByText("Grafana is starting")).closest("[role=status]");
    expect(notice).toHaveTextContent("makes its own Grafana service account");
    isPending = false;
    await user.click(within(notice as HTMLElement).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No dashboards yet")).toBeInTheDocument();
  });

  it("shows an empty state when there are no dashboards", async () => {
    dashboardsHandler(buildPage([]));
    renderApp("/dashboards", { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByText("No dashboards yet")).toBeInTheDocument();
  });

  it("creates a dashboard from a template, asking for the control it needs, then opens it", async () => {
    dashboardsHandler();
    const control = buildControl({ name: "Backups succeed" });
    let body: unknown;
    server.use(
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([buildCatalog()]))),
      http.get("/api/v1/controls", () => HttpResponse.json(buildPage([control]))),
      http.post("/api/v1/dashboards", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { uid: "new-dash", title: "Backups", url: "/grafana/d/new-dash", version: 1, folderUid: "team-a" },
          { status: 201 },
        );
      }),
      http.get("/api/v1/dashboards/new-dash", () =>
        HttpResponse.json(buildDashboardDetail({ uid: "new-dash", title: "Backups" })),
      ),
    );
    const { user, router } = renderApp("/dashboards", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "New dashboard" }));
    const dialog = await screen.findByRole("dialog", { name: "New dashboard" });
    await user.type(within(dialog).getByLabelText("Title"), "Backups");
    await user.selectOptions(within(dialog).getByLabelText("Template"), "control_points");
    await user.click(within(dialog).getByRole("button", { name: "Create dashboard" }));
    expect(await within(dialog).findByText("This template needs a control")).toBeInTheDocument();
    expect(body).toBeUndefined();

    await within(dialog).findByRole("option", { name: "Backups succeed" });
    await user.selectOptions(within(dialog).getByLabelText("Control"), control.id);
    await user.selectOptions(within(dialog).getByLabelText("Folder"), "team-a");
    await user.click(within(dialog).getByRole("button", { name: "Create dashboard" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe("/dashboards/new-dash"));
    expect(body).toEqual({ title: "Backups", template: "control_points", folderUid: "team-a", controlId: control.id });
  }, 15_000);

  it("imports a JSON file, reports a file that is not JSON, and explains a conflict", async () => {
    dashboardsHandler();
    const bodies: unknown[] = [];
    server.use(
      http.post("/api/v1/dashboards/import", async ({ request }) => {
        bodies.push(await request.json());
        return problemResponse({
          status: 409,
          code: "dashboard_version_conflict",
          title: "Conflict",
          detail: "The dashboard changed in Grafana since this version",
        });
      }),
    );
    const { user } = renderApp("/dashboards", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Import JSON" }));
    const dialog = await screen.findByRole("dialog", { name: "Import a dashboard" });
    const fileInput = within(dialog).getByLabelText("JSON file");
    await user.upload(fileInput, new File(["{ not json"], "broken.json", { type: "application/json" }));
    await user.click(within(dialog).getByRole("button", { name: "Import dashboard" }));
    expect(await within(dialog).findByText("The file is not valid JSON.")).toBeInTheDocument();

    await user.upload(
      fileInput,
      new File([JSON.stringify({ dashboard: { uid: "x1", panels: [] } })], "untitled.json", {
        type: "application/json",
      }),
    );
    await user.click(within(dialog).getByRole("button", { name: "Import dashboard" }));
    expect(await within(dialog).findByText(/^dashboard\.title:/)).toBeInTheDocument();
    expect(bodies).toHaveLength(0);

    const exported = { dashboard: { uid: "x1", title: "Exported", panels: [] }, meta: { url: "/grafana/d/x1" } };
    await user.upload(fileInput, new File([JSON.stringify(exported)], "exported.json", { type: "application/json" }));
    await user.click(within(dialog).getByRole("button", { name: "Import dashboard" }));

    const alert = (await within(dialog).findByText("This dashboard exists already")).closest("[role=alert]");
    expect(within(dialog).getAllByRole("alert")).toHaveLength(1);
    expect(alert).toHaveTextContent("Replace the existing dashboard");
    expect(bodies).toEqual([{ dashboard: exported.dashboard, folderUid: null, overwrite: false }]);
  }, 15_000);

  it("deletes a dashboard after confirmation and refreshes the list", async () => {
    const dashboard = buildDashboardSummary({ uid: "old-dash", title: "Old one" });
    const requests = dashboardsHandler(buildPage([dashboard]));
    let deleted = false;
    server.use(
      http.delete("/api/v1/dashboards/old-dash", () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp("/dashboards", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Delete Old one" }));
    const dialog = await screen.findByRole("dialog");
    expect(deleted).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Delete dashboard" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(deleted).toBe(true);
    await waitFor(() => expect(requests.length).toBeGreaterThan(1));
  });
});
