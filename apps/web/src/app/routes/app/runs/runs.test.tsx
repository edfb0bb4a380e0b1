// @vitest-environment jsdom
import type { Page, Run } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage, buildRun } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function runsHandler(page: Page<Run>) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/runs", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("runs page", () => {
  it("lists runs with their control, trigger, status, attempts, duration and error", async () => {
    const run = buildRun({
      controlName: "Branches are protected",
      trigger: "schedule",
      status: "error",
      attempts: 3,
      maxAttempts: 3,
      durationMs: 12_300,
      error: "Node-RED did not answer within 30000 ms",
    });
    runsHandler(buildPage([run]));
    renderApp("/runs", { me: buildMe() });

    expect(await screen.findByRole("heading", { level: 1, name: "Runs" })).toBeInTheDocument();
    const [row] = within(await screen.findByRole("table", { name: "Runs" }))
      .getAllByRole("row")
      .slice(1);
    expect(row).toHaveTextContent(
      /Branches are protected.*Scheduled.*Error.*3\/3.*12\.3 s.*Node-RED did not answer within 30000 ms/,
    );
    expect(within(row as HTMLElement).getByRole("link", { name: "Branches are protected" })).toHaveAttribute(
      "href",
      `/catalogs/${run.catalogId}/controls/${run.controlId}`,
    );
    expect(within(row as HTMLElement).queryByRole("button", { name: /Cancel/ })).not.toBeInTheDocument();
  });

  it("reads the status, trigger and control filters from the URL and keeps changes there", async () => {
    const run = buildRun({ controlName: "Reviews", status: "failed", trigger: "manual" });
    const requests = runsHandler(buildPage([run]));
    const { user, router } = renderApp(`/runs?status=failed&controlId=${run.controlId}`, { me: buildMe() });

    await screen.findByRole("table", { name: "Runs" });
    expect(requests[0]?.get("status")).toBe("failed");
    expect(requests[0]?.get("controlId")).toBe(run.controlId);
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveValue("failed");
    expect(screen.getByText("Control:")).toHaveTextContent("Control: Reviews");

    await user.selectOptions(screen.getByRole("combobox", { name: "Trigger" }), "backfill");

    await waitFor(() => expect(currentUrl(router).searchParams.get("trigger")).toBe("backfill"));
    expect(currentUrl(router).searchParams.get("status")).toBe("failed");
    await waitFor(() => expect(requests.at(-1)?.get("trigger")).toBe("backfill"));

    await user.click(screen.getByRole("button", { name: "Show runs of every control" }));

    await waitFor(() => expect(currentUrl(router).searchParams.get("controlId")).toBeNull());
    await waitFor(() => expect(requests.at(-1)?.get("controlId")).toBeNull());
  });

  it("keeps the page in the URL", async () => {
    const requests = runsHandler(buildPage([buildRun({ status: "succeeded" })], { total: 60 }));
    const { user, router } = renderApp("/runs", { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Next" }));

    await waitFor(() => expect(currentUrl(router).searchParams.get("page")).toBe("2"));
    await waitFor(() => expect(requests.at(-1)?.get("page")).toBe("2"));
  });

  it("cancels a running run", async () => {
    const run = buildRun({ status: "running", attempts: 1 });
    let isCancelled = false;
    server.use(
      http.get("/api/v1/runs", () =>
        HttpResponse.json(buildPage([isCancelled ? { ...run, status: "cancelled" } : run])),
      ),
      http.delete(`/api/v1/runs/${run.id}`, () => {
        isCancelled = true;
        return HttpResponse.json({ ...run, status: "cancelled", error: "Cancelled by dana" });
      }),
    );
    const { user } = renderApp("/runs", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: /Cancel run of/ }));

    await waitFor(() => expect(screen.queryByRole("button", { name: /Cancel run of/ })).not.toBeInTheDocument());
    expect(isCancelled).toBe(true);
    expect(within(screen.getByRole("table", { name: "Runs" })).getByText("Cancelled")).toBeInTheDocument();
  });

  it("shows the problem's detail when a run cannot be cancelled (409 run_finished)", async () => {
    const run = buildRun({ status: "queued" });
    runsHandler(buildPage([run]));
    server.use(
      http.delete(`/api/v1/runs/${run.id}`, () =>
        problemResponse({
          status: 409,
          code: "run_finished",
          title: "Conflict",
          detail: "The run has already finished",
        }),
      ),
    );
    const { user } = renderApp("/runs", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: /Cancel run of/ }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The run has already finished");
  });

  it("offers to clear filters that match no runs", async () => {
    const requests = runsHandler(buildPage([]));
    const { user, router } = renderApp("/runs?status=cancelled", { me: buildMe() });

    expect(await screen.findByText("No runs match these filters")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Clear filters" }));

    await waitFor(() => expect(currentUrl(router).search).toBe(""));
    await waitFor(() => expect(requests.at(-1)?.get("status")).toBeNull());
    expect(await screen.findByText("No runs yet")).toBeInTheDocument();
  });

  it("says when the runs cannot be loaded", async () => {
    server.use(
      http.get("/api/v1/runs", () =>
        problemResponse({ status: 500, code: "internal_error", title: "Internal error", detail: "Boom" }),
      ),
    );
    renderApp("/runs", { me: buildMe() });

    expect(await screen.findByRole("alert")).toHaveTextContent("The runs could not be loaded");
  });
});
