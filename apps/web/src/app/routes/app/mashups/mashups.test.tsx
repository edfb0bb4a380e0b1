// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMashup, buildMe } from "@/testing/factories.ts";
import { mashupLimitsHandler, mashupsHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const reviews = buildMashup();
const slow = buildMashup({
  id: "test-slow",
  name: "Test: slow",
  url: "/test/slow",
  inputs: [
    { name: "delayMs", type: "number", default: 1000 },
    { name: "apiKey", type: "secret", default: null },
  ],
});

describe("mashups page", () => {
  it("shows a mashup's call limits to a DEVELOPER and saves new ones (blank: no limit)", async () => {
    server.use(mashupsHandler([reviews, slow]), mashupLimitsHandler({ maxConcurrency: 4, ratePerSecond: null }));
    let body: unknown;
    server.use(
      http.put("/api/v1/mashups/test-slow/limits", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          mashupId: "test-slow",
          maxConcurrency: null,
          ratePerSecond: 2.5,
          updatedAt: "2025-05-01T00:00:00Z",
        });
      }),
    );
    const { user } = renderApp("/mashups?test=test-slow", { me: buildMe({ role: "DEVELOPER" }) });
    const limits = await screen.findByRole("form", { name: "Call limits" });
    const inFlight = await within(limits).findByLabelText<HTMLInputElement>("Calls in flight at most");
    expect(inFlight.value).toBe("4");

    await user.type(within(limits).getByLabelText("Calls per second at most"), "-1");
    await user.click(within(limits).getByRole("button", { name: "Save limits" }));
    expect(await within(limits).findByText(/too small/i)).toBeInTheDocument();
    expect(body).toBeUndefined();

    await user.clear(inFlight);
    await user.clear(within(limits).getByLabelText("Calls per second at most"));
    await user.type(within(limits).getByLabelText("Calls per second at most"), "2.5");
    await user.click(within(limits).getByRole("button", { name: "Save limits" }));
    await waitFor(() => expect(body).toEqual({ maxConcurrency: null, ratePerSecond: 2.5 }));
    const saved = await screen.findByRole("form", { name: "Call limits" });
    await waitFor(() =>
      expect(within(saved).getByLabelText<HTMLInputElement>("Calls per second at most").value).toBe("2.5"),
    );
  });

  it("lists mashups with endpoint and inputs; a USER gets neither the editor nor the test", async () => {
    server.use(mashupsHandler([reviews, slow]));
    renderApp("/mashups", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table", { name: "Mashups" }))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(
      /Pull requests are reviewed.*pull-requests-reviewed.*POST \/pull-requests-reviewed.*minApprovals \(number\) = 1/,
    );
    expect(rows[1]).toHaveTextContent(/delayMs \(number\) = 1000.*apiKey \(secret\)/);
    expect(screen.queryByRole("link", { name: /Open in editor/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Test/ })).not.toBeInTheDocument();
  });

  it("links a DEVELOPER to each flow in the editor", async () => {
    server.use(mashupsHandler([reviews]));
    renderApp("/mashups", { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByRole("link", { name: /Open in editor.*Pull requests are reviewed/ })).toHaveAttribute(
      "href",
      "/api/v1/mashups/editor?flow=pull-requests-reviewed",
    );
  });

  it("tests a mashup with its defaults as parameters and shows the raw answer, status and duration", async () => {
    server.use(mashupsHandler([reviews, slow]), mashupLimitsHandler());
    let body: unknown;
    server.use(
      http.post("/api/v1/mashups/test-slow/test", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          mashupId: "test-slow",
          status: 200,
          body: { hello: "world" },
          durationMs: 1234,
          isValid: false,
          problem: "The answer has no evidences array",
        });
      }),
    );
    const { user, router } = renderApp("/mashups", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Test Test: slow" }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("test")).toBe("test-slow"));
    const panel = await screen.findByRole("region", { name: "Test Test: slow" });
    expect(JSON.parse(within(panel).getByLabelText<HTMLTextAreaElement>("Parameters (JSON)").value)).toEqual({
      delayMs: 1000,
    });
    await user.clear(within(panel).getByLabelText("Scope (JSON)"));
    await user.type(within(panel).getByLabelText("Scope (JSON)"), '{{"team": "payments"}');
    await user.clear(within(panel).getByLabelText("From (UTC day)"));
    await user.type(within(panel).getByLabelText("From (UTC day)"), "2025-05-01");
    await user.clear(within(panel).getByLabelText("To (UTC day)"));
    await user.type(within(panel).getByLabelText("To (UTC day)"), "2025-05-02");
    await user.type(within(panel).getByLabelText("Timeout (ms)"), "500");
    await user.click(within(panel).getByRole("button", { name: "Call the mashup" }));

    const result = await screen.findByRole("region", { name: "Test result" });
    expect(result).toHaveTextContent(/HTTP 200.*1\.2 s.*Not usable by a run/);
    expect(result).toHaveTextContent("The answer has no evidences array");
    expect(result).toHaveTextContent('"hello": "world"');
    expect(body).toEqual({
      params: { delayMs: 1000 },
      scope: { team: "payments" },
      from: "2025-05-01T00:00:00+00:00",
      to: "2025-05-02T00:00:00+00:00",
      period: "DAILY",
      timeoutMs: 500,
    });
  });

  it("shows a timeout clearly and puts field problems on their fields", async () => {
    server.use(mashupsHandler([reviews, slow]), mashupLimitsHandler());
    server.use(
      http.post("/api/v1/mashups/test-slow/test", () =>
        problemResponse({
          status: 504,
          code: "mashup_timeout",
          title: "The mashup did not answer in time",
          detail: "Test: slow did not answer within 500 ms",
        }),
      ),
    );
    const { user } = renderApp("/mashups?test=test-slow", { me: buildMe({ role: "DEVELOPER" }) });
    const panel = await screen.findByRole("region", { name: "Test Test: slow" });

    await user.clear(await within(panel).findByLabelText("Parameters (JSON)"));
    await user.type(within(panel).getByLabelText("Parameters (JSON)"), "not json");
    await user.click(within(panel).getByRole("button", { name: "Call the mashup" }));
    expect(await within(panel).findByText(/Enter a JSON object/)).toBeInTheDocument();

    await user.clear(within(panel).getByLabelText("Parameters (JSON)"));
    await user.click(within(panel).getByRole("button", { name: "Call the mashup" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert).toHaveTextContent("The mashup did not answer in time");
    expect(alert).toHaveTextContent("did not answer within 500 ms");
  });

  it("says Node-RED is unreachable and retries on request", async () => {
    server.use(
      http.get("/api/v1/mashups", () =>
        problemResponse({
          status: 503,
          code: "service_unavailable",
          title: "Service unavailable",
          detail: "Node-RED cannot list the mashups",
        }),
      ),
    );
    const { user } = renderApp("/mashups", { me: buildMe() });

    expect(await screen.findByText("Node-RED cannot list the mashups")).toBeInTheDocument();
    server.use(mashupsHandler([]));
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No mashups yet")).toBeInTheDocument();
  });
});
