// @vitest-environment jsdom
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildDashboardDetail, buildMe } from "@/testing/factories.ts";
import { grafanaSessionHandler, problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.readAsText(blob);
  });
}

describe("dashboard page", () => {
  beforeEach(() => server.use(grafanaSessionHandler()));
  afterEach(() => vi.unstubAllGlobals());

  it("embeds every panel from Grafana's single-panel page and links to the whole dashboard", async () => {
    server.use(
      http.get("/api/v1/dashboards/abc", () =>
        HttpResponse.json(buildDashboardDetail({ uid: "abc", title: "ISO compliance" })),
      ),
    );
    renderApp("/dashboards/abc", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByRole("heading", { name: "ISO compliance" })).toBeInTheDocument();
    const panels = within(screen.getByRole("region", { name: "Panels" }));
    expect(panels.getByTitle("Compliance per day (%)")).toHaveAttribute(
      "src",
      "/grafana/d-solo/abc?orgId=1&panelId=1&theme=light",
    );
    expect(panels.getByTitle("Points evaluated")).toHaveAttribute(
      "src",
      "/grafana/d-solo/abc?orgId=1&panelId=2&theme=light",
    );
    expect(screen.getByRole("link", { name: "Open in Grafana" })).toHaveAttribute("href", "/grafana/d/abc");
    expect(screen.queryByRole("button", { name: /^Delete / })).not.toBeInTheDocument();
  });

  it("embeds panels in the dark theme when the app is dark", async () => {
    document.documentElement.classList.add("dark");
    server.use(http.get("/api/v1/dashboards/abc", () => HttpResponse.json(buildDashboardDetail({ uid: "abc" }))));
    renderApp("/dashboards/abc", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByTitle("Points evaluated")).toHaveAttribute(
      "src",
      "/grafana/d-solo/abc?orgId=1&panelId=2&theme=dark",
    );
  });

  it("exports the dashboard's JSON model as a file download", async () => {
    const detail = buildDashboardDetail({ uid: "abc", title: "ISO compliance" });
    server.use(http.get("/api/v1/dashboards/abc", () => HttpResponse.json(detail)));
    const blobs: Blob[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, {
        createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:export"),
        revokeObjectURL: () => undefined,
      }),
    );
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe("iso-compliance.json");
    });
    const { user } = renderApp("/dashboards/abc", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "Export JSON" }));

    expect(clicked).toHaveBeenCalledOnce();
    expect(JSON.parse(await readBlob(blobs[0]!))).toEqual(detail.dashboard);
    clicked.mockRestore();
  });

  it("says so when the dashboard is gone from Grafana", async () => {
    server.use(
      http.get("/api/v1/dashboards/gone", () =>
        problemResponse({ status: 404, code: "not_found", title: "Resource not found" }),
      ),
    );
    renderApp("/dashboards/gone", { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByRole("heading", { name: "Dashboard not found" })).toBeInTheDocument();
  });

  it("shows that Grafana is not answering, with a retry", async () => {
    server.use(
      http.get("/api/v1/dashboards/abc", () =>
        problemResponse({
          status: 504,
          code: "grafana_timeout",
          title: "Gateway timeout",
          detail: "Grafana did not answer within 5000 ms",
        }),
      ),
    );
    renderApp("/dashboards/abc", { me: buildMe({ role: "DEVELOPER" }) });

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Grafana is not answering");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
