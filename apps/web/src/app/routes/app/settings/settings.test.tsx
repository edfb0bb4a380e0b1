// @vitest-environment jsdom
import type { Retention, SystemHealth, UpdateRetentionBody } from "@status/shared";
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

function buildRetention(overrides: Partial<Retention> = {}): Retention {
  const category = (
    name: Retention["categories"][number]["category"],
    values: Partial<Retention["categories"][number]>,
  ): Retention["categories"][number] => ({
    category: name,
    label: name,
    description: `About ${name}`,
    keepDays: null,
    defaultKeepDays: null,
    minKeepDays: 1,
    isEditable: true,
    rowCount: 0,
    rowLabel: "rows",
    isRowCountEstimated: false,
    sizeBytes: 8192,
    updatedAt: null,
    ...values,
  });
  return {
    categories: [
      category("runs", {
        label: "Runs",
        keepDays: 400,
        defaultKeepDays: 400,
        minKeepDays: 30,
        rowCount: 1200,
        rowLabel: "runs",
        sizeBytes: 2_500_000,
      }),
      category("computation_detail", {
        label: "Computation detail and evidences",
        keepDays: 400,
        defaultKeepDays: 400,
        minKeepDays: 30,
        rowCount: 250_000,
        rowLabel: "evidences",
        isRowCountEstimated: true,
        sizeBytes: 1_300_000_000,
      }),
      category("audit_log", { label: "Audit log", minKeepDays: 365, rowCount: 42, rowLabel: "audit entries" }),
      category("conversations", { label: "Assistant conversations", rowLabel: "conversations" }),
      category("sessions", {
        label: "Sessions",
        keepDays: 90,
        defaultKeepDays: 90,
        minKeepDays: 7,
        rowLabel: "sessions",
      }),
      category("evidence_packs", { label: "Evidence packs", keepDays: 365, defaultKeepDays: 365, rowLabel: "packs" }),
      category("event_outbox", { label: "Delivered events", keepDays: 90, defaultKeepDays: 90, rowLabel: "events" }),
      category("import_jobs", { label: "Import jobs", keepDays: 90, defaultKeepDays: 90, rowLabel: "jobs" }),
      category("points", { label: "Points", isEditable: false, minKeepDays: null, rowCount: 3, rowLabel: "points" }),
    ],
    lastRun: {
      startedAt: "2025-06-01T03:00:00Z",
      finishedAt: "2025-06-01T03:00:02Z",
      pruned: { runs: 12, evidences: 5400 },
    },
    ...overrides,
  };
}

describe("settings: retention (ADMIN)", () => {
  it("shows each category's period, rows and size, and saves changed periods (blank: forever)", async () => {
    const sent: UpdateRetentionBody[] = [];
    server.use(
      http.get("/api/v1/system/health", () => HttpResponse.json(buildHealth())),
      http.get("/api/v1/retention", () => HttpResponse.json(buildRetention())),
      http.patch("/api/v1/retention", async ({ request }) => {
        const body = (await request.json()) as UpdateRetentionBody;
        sent.push(body);
        return HttpResponse.json(buildRetention());
      }),
    );
    const { user } = renderApp("/settings", { me: buildMe({ role: "ADMIN" }) });

    const table = await screen.findByRole("table", { name: "Retention" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(/Runs.*1,200 runs · 2.5 MB/);
    expect(rows[1]).toHaveTextContent(/≈ 250,000 evidences · 1.3 GB/);
    expect(rows[8]).toHaveTextContent(/Points.*Always kept.*3 points/);
    expect(screen.getByText(/Last pruning .*: 12 runs, 5,400 evidences\./)).toBeInTheDocument();
    expect(screen.getByLabelText("Runs")).toHaveValue("400");
    expect(screen.getByLabelText("Audit log")).toHaveValue("");

    await user.clear(screen.getByLabelText("Runs"));
    await user.type(screen.getByLabelText("Runs"), "730");
    await user.type(screen.getByLabelText("Assistant conversations"), "180");
    await user.click(screen.getByRole("button", { name: "Save retention" }));

    expect(await screen.findByText("The retention periods were saved.")).toBeInTheDocument();
    expect(sent).toEqual([
      {
        runs: 730,
        computation_detail: 400,
        audit_log: null,
        conversations: 180,
        sessions: 90,
        evidence_packs: 365,
        event_outbox: 90,
        import_jobs: 90,
      },
    ]);
  });

  it("refuses a period below the category's minimum before sending, with the same wording as the API", async () => {
    let patches = 0;
    server.use(
      http.get("/api/v1/system/health", () => HttpResponse.json(buildHealth())),
      http.get("/api/v1/retention", () => HttpResponse.json(buildRetention())),
      http.patch("/api/v1/retention", () => {
        patches += 1;
        return HttpResponse.json(buildRetention());
      }),
    );
    const { user } = renderApp("/settings", { me: buildMe({ role: "ADMIN" }) });

    await user.type(await screen.findByLabelText("Audit log"), "30");
    await user.click(screen.getByRole("button", { name: "Save retention" }));

    expect(await screen.findByText("Audit log: keep at least 365 days (or forever)")).toBeInTheDocument();
    expect(screen.getByLabelText("Audit log")).toHaveAttribute("aria-invalid", "true");
    expect(patches).toBe(0);
  });

  it("is not shown to other roles", async () => {
    server.use(http.get("/api/v1/system/health", () => HttpResponse.json(buildHealth())));
    renderApp("/settings", { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByRole("table", { name: "Dependencies" });
    expect(screen.queryByRole("heading", { name: "Retention" })).not.toBeInTheDocument();
  });
});

describe("settings: system status", () => {
  it("shows every dependency with status, latency, version and, for an admin, its URL", async () => {
    server.use(
      http.get("/api/v1/system/health", () => HttpResponse.json(buildHealth())),
      http.get("/api/v1/retention", () => HttpResponse.json(buildRetention())),
    );
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
