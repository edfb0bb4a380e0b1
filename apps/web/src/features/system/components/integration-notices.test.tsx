// @vitest-environment jsdom
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe } from "@/testing/factories.ts";
import { capabilitiesHandler, problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";
import { ApiError } from "@/lib/api-client.ts";
import { shouldRetry } from "@/lib/query-client.ts";

/** Integrations that are not configured say so up front, with their actions disabled and no doomed requests. */

describe("unconfigured integrations", () => {
  it("Dashboards without Grafana: a notice naming the variables and README section, buttons disabled, no list request", async () => {
    let listRequests = 0;
    server.use(
      capabilitiesHandler(["grafana"]),
      http.get("/api/v1/dashboards", () => {
        listRequests += 1;
        return problemResponse({ status: 503, code: "grafana_not_configured", title: "Grafana not configured" });
      }),
    );
    renderApp("/dashboards", { me: buildMe({ role: "DEVELOPER" }) });

    const notice = (await screen.findByText("Grafana is not configured")).closest("[role=status]");
    expect(notice).toHaveTextContent("GRAFANA_URL");
    expect(notice).toHaveTextContent("Dashboards and Grafana");
    expect(screen.getByRole("button", { name: "New dashboard" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Import JSON" })).toBeDisabled();
    expect(screen.queryByLabelText(/Loading/)).not.toBeInTheDocument();
    expect(listRequests).toBe(0);
  });

  it("Settings lists every integration, AI included, and what to set for the ones that are off", async () => {
    server.use(
      capabilitiesHandler(["ai", "registry"]),
      http.get("/api/v1/system/health", () =>
        HttpResponse.json({ status: "ok", checkedAt: "2025-01-03T10:00:00Z", dependencies: [] }),
      ),
    );
    renderApp("/settings", { me: buildMe({ role: "USER" }) });

    const list = await screen.findByRole("list", { name: "Integrations" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((item) => item.querySelector("span")?.textContent)).toEqual([
      "Grafana",
      "AI",
      "Governify registry",
      "Governify director",
      "GitHub sign-in",
      "Single sign-on (OpenID Connect)",
      "E-mail (SMTP)",
    ]);
    expect(items[1]).toHaveTextContent(/Not configured.*OPENAI_API_KEY.*Settings → AI/);
    expect(items[0]).toHaveTextContent("Configured");
    expect(items[0]).not.toHaveTextContent("GRAFANA_URL");
  });

  it("does not retry a 503 that says an integration is not configured, but retries other 503s", () => {
    const notConfigured = new ApiError({
      status: 503,
      code: "grafana_not_configured",
      title: "Grafana not configured",
    });
    const unavailable = new ApiError({ status: 503, code: "service_unavailable", title: "Service unavailable" });

    expect(shouldRetry(0, notConfigured)).toBe(false);
    expect(shouldRetry(0, new ApiError({ status: 503, code: "ai_not_configured", title: "AI" }))).toBe(false);
    expect(shouldRetry(0, unavailable)).toBe(true);
    expect(shouldRetry(2, unavailable)).toBe(false);
  });
});
