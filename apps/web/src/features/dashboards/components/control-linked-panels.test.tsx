// @vitest-environment jsdom
import { ControlPanelSchema, type ControlPanel } from "@status/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { queryConfig } from "@/lib/query-client.ts";
import { buildDashboardDetail, buildDashboardSummary, buildPage, nextId } from "@/testing/factories.ts";
import { grafanaSessionHandler, problemResponse } from "@/testing/http.ts";
import { server } from "@/testing/server.ts";
import { ControlLinkedPanels } from "./control-linked-panels.tsx";

function buildLink(controlId: string, overrides: Partial<ControlPanel> = {}): ControlPanel {
  return ControlPanelSchema.parse({
    id: nextId(),
    controlId,
    dashboardUid: "abc",
    panelId: 2,
    dashboardTitle: "ISO compliance",
    panelTitle: "Points evaluated",
    dashboardUrl: "/grafana/d/abc",
    embedPath: "/grafana/d-solo/abc",
    createdAt: "2025-06-01T10:00:00Z",
    ...overrides,
  });
}

function renderSection(controlId: string, canEdit: boolean) {
  server.use(grafanaSessionHandler());
  const queryClient = new QueryClient({
    defaultOptions: { ...queryConfig, queries: { ...queryConfig.queries, retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <ControlLinkedPanels controlId={controlId} canEdit={canEdit} />
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

describe("linked panels of a control", () => {
  it("embeds each linked panel and offers a USER no changes", async () => {
    const controlId = nextId();
    server.use(
      http.get(`/api/v1/controls/${controlId}/panels`, () => HttpResponse.json({ items: [buildLink(controlId)] })),
    );
    renderSection(controlId, false);

    expect(await screen.findByTitle("Points evaluated")).toHaveAttribute(
      "src",
      "/grafana/d-solo/abc?orgId=1&panelId=2&theme=light",
    );
    expect(screen.getByRole("link", { name: "ISO compliance · Points evaluated" })).toHaveAttribute(
      "href",
      "/grafana/d/abc",
    );
    expect(screen.queryByRole("button", { name: /Unlink/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Link panel" })).not.toBeInTheDocument();
  });

  it("links a panel chosen from a dashboard's panels, and unlinks one", async () => {
    const controlId = nextId();
    let links = [buildLink(controlId, { panelId: 1, panelTitle: "Compliance per day (%)" })];
    const bodies: unknown[] = [];
    server.use(
      http.get(`/api/v1/controls/${controlId}/panels`, () => HttpResponse.json({ items: links })),
      http.get("/api/v1/dashboards", () =>
        HttpResponse.json(buildPage([buildDashboardSummary({ uid: "abc", title: "ISO compliance" })])),
      ),
      http.get("/api/v1/dashboards/abc", () => HttpResponse.json(buildDashboardDetail({ uid: "abc" }))),
      http.post(`/api/v1/controls/${controlId}/panels`, async ({ request }) => {
        bodies.push(await request.json());
        const link = buildLink(controlId);
        links = [...links, link];
        return HttpResponse.json(link, { status: 201 });
      }),
      http.delete(`/api/v1/controls/${controlId}/panels/:linkId`, ({ params }) => {
        links = links.filter((link) => link.id !== params.linkId);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = renderSection(controlId, true);

    await screen.findByRole("option", { name: "ISO compliance" });
    await user.selectOptions(screen.getByLabelText("Dashboard"), "abc");
    await screen.findByRole("option", { name: "Points evaluated" });
    await user.selectOptions(screen.getByLabelText("Panel"), "2");
    await user.click(screen.getByRole("button", { name: "Link panel" }));

    expect(await screen.findByTitle("Points evaluated")).toBeInTheDocument();
    expect(bodies).toEqual([{ dashboardUid: "abc", panelId: 2 }]);

    await user.click(screen.getByRole("button", { name: "Unlink Compliance per day (%)" }));
    await waitFor(() => expect(screen.queryByTitle("Compliance per day (%)")).not.toBeInTheDocument());
  });

  it("keeps showing linked panels when Grafana is not configured, and says why linking is unavailable", async () => {
    const controlId = nextId();
    server.use(
      http.get(`/api/v1/controls/${controlId}/panels`, () => HttpResponse.json({ items: [] })),
      http.get("/api/v1/dashboards", () =>
        problemResponse({
          status: 503,
          code: "grafana_not_configured",
          title: "Service unavailable",
          detail: "Grafana is not configured",
        }),
      ),
    );
    renderSection(controlId, true);

    const section = within(await screen.findByRole("region", { name: "Linked panels" }));
    expect(await section.findByText("No Grafana panels are linked to this control.")).toBeInTheDocument();
    expect(await section.findByText(/Panels can be linked once Grafana is reachable/)).toBeInTheDocument();
  });
});
