// @vitest-environment jsdom
import type { SystemHealth } from "@status/shared";
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function buildHealth(overrides: Partial<SystemHealth> = {}): SystemHealth {
  return {
    status: "degraded",
    checkedAt: "2025-06-01T10:00:00Z",
    dependencies: [
      {
        name: "database",
        status: "up",
        latencyMs: 1.2,
        version: "PostgreSQL 15.8",
        url: "postgres://db:5432/status",
        detail: null,
      },
      {
        name: "registry",
        status: "down",
        latencyMs: 3000,
        version: null,
        url: "http://registry:80",
        detail: "the registry is unreachable",
      },
      { name: "grafana", status: "not_configured", latencyMs: null, version: null, url: null, detail: null },
    ],
    ...overrides,
  };
}

describe("settings: system status", () => {
  it("shows every dependency with status, latency, version and, for an admin, its URL", async () => {
    server.use(http.get("/api/v1/system/health", () => HttpResponse.json(buildHealth())));
    renderApp("/settings", { me: buildMe({ role: "ADMIN" }) });

    const table = await screen.findByRole("table", { name: "Dependencies" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(/Database.*Up.*1.2 ms.*PostgreSQL 15.8.*postgres:\/\/db:5432\/status/);
    expect(rows[1]).toHaveTextContent(/Governify registry.*Down.*3000 ms.*http:\/\/registry:80.*unreachable/);
    expect(rows[2]).toHaveTextContent(/Grafana.*Not configured/);
    expect(screen.getByText("Degraded")).toBeInTheDocument();
  });

  it("has no URL column for other roles", async () => {
    const health = buildHealth({
      status: "ok",
      dependencies: buildHealth().dependencies.map((dependency) => ({
        ...dependency,
        url: null,
        status: dependency.status === "down" ? "up" : dependency.status,
      })),
    });
    server.use(http.get("/api/v1/system/health", () => HttpResponse.json(health)));
    renderApp("/settings", { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table", { name: "Dependencies" });
    expect(within(table).queryByRole("columnheader", { name: "URL" })).not.toBeInTheDocument();
    expect(screen.getByText("All systems up")).toBeInTheDocument();
  });

  it("shows a dependency STATUS is still setting up as starting, with what it waits for", async () => {
    const health = buildHealth({
      status: "ok",
      dependencies: [
        {
          name: "grafana",
          status: "pending",
          latencyMs: 2.5,
          version: null,
          url: "http://grafana:3000/grafana",
          detail: "Waiting for Grafana to answer (Grafana could not be reached)",
        },
      ],
    });
    server.use(http.get("/api/v1/system/health", () => HttpResponse.json(health)));
    renderApp("/settings", { me: buildMe({ role: "ADMIN" }) });

    const table = await screen.findByRole("table", { name: "Dependencies" });
    const [row] = within(table).getAllByRole("row").slice(1);
    expect(row).toHaveTextContent(/Grafana.*Starting.*2.5 ms.*Waiting for Grafana to answer/);
    expect(screen.getByText("All systems up")).toBeInTheDocument();
  });

  it("offers to try again when the status cannot be loaded", async () => {
    let isFailing = true;
    server.use(
      http.get("/api/v1/system/health", () => {
        return isFailing
          ? problemResponse({ status: 500, code: "internal_error", title: "Internal error", detail: "boom" })
          : HttpResponse.json(buildHealth());
      }),
    );
    const { user } = renderApp("/settings", { me: buildMe({ role: "USER" }) });

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The system status could not be loaded");
    isFailing = false;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("table", { name: "Dependencies" })).toBeInTheDocument();
  });
});
