// @vitest-environment jsdom
import type { Webhook, WebhookDelivery } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const NOW = "2026-12-01T10:00:00.000Z";

function buildWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: "7d0f3f0c-8a51-4d55-9a8b-3f6a0d1c2b01",
    ownerId: "5b1f3f0c-8a51-4d55-9a8b-3f6a0d1c2b02",
    ownerUsername: "dev",
    url: "https://hooks.example.org/status",
    events: ["control.failing", "control.recovered"],
    catalogId: null,
    controlId: null,
    format: "cloudevents",
    holdWindows: 1,
    description: null,
    isEnabled: true,
    disabledReason: null,
    flaggedAt: null,
    flagReason: null,
    previousSecretExpiresAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    deletedAt: null,
    ...overrides,
  };
}

function buildDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: "9e0f3f0c-8a51-4d55-9a8b-3f6a0d1c2b03",
    subscriptionId: buildWebhook().id,
    eventId: null,
    messageId: "msg_1",
    eventType: "control.failing",
    status: "dead",
    attempt: 7,
    nextAttemptAt: null,
    lastStatusCode: 500,
    lastDurationMs: 12,
    lastResponseExcerpt: "upstream down",
    lastError: null,
    lastAttemptAt: NOW,
    deliveredAt: null,
    createdAt: NOW,
    ...overrides,
  };
}

describe("Notifications page", () => {
  it("creates a webhook and shows its secret once, with a copy button", async () => {
    let body: unknown;
    server.use(
      http.get("/api/v1/webhooks", () => HttpResponse.json(buildPage([]))),
      http.post("/api/v1/webhooks", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...buildWebhook(), secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0" }, { status: 201 });
      }),
    );
    const { user } = renderApp("/notifications", { me: buildMe({ role: "DEVELOPER" }) });

    await screen.findByText("No webhooks yet");
    await user.click(screen.getByRole("button", { name: "New webhook" }));
    const form = await screen.findByRole("dialog", { name: "New webhook" });
    await user.type(within(form).getByLabelText("URL"), "https://hooks.example.org/status");
    await user.click(within(form).getByLabelText("control.stale"));
    await user.selectOptions(within(form).getByLabelText("Format"), "slack");
    await user.click(within(form).getByRole("button", { name: "Create webhook" }));

    const dialog = await screen.findByRole("dialog", { name: "Copy the signing secret" });
    expect(body).toEqual({
      url: "https://hooks.example.org/status",
      events: ["control.failing", "control.recovered", "control.stale"],
      format: "slack",
      holdWindows: 1,
    });
    expect(within(dialog).getByLabelText("Signing secret")).toHaveValue("whsec_c2VjcmV0c2VjcmV0c2VjcmV0");
    expect(within(dialog).getByRole("button", { name: "Copy" })).toBeInTheDocument();
  });

  it("puts a refused URL on the form", async () => {
    server.use(
      http.get("/api/v1/webhooks", () => HttpResponse.json(buildPage([]))),
      http.post("/api/v1/webhooks", () =>
        problemResponse({
          status: 422,
          code: "url_not_allowed",
          title: "URL not allowed",
          detail: "The URL is refused: 169.254.169.254 is a link-local or cloud metadata address",
        }),
      ),
    );
    const { user } = renderApp("/notifications", { me: buildMe({ role: "DEVELOPER" }) });
    await user.click(await screen.findByRole("button", { name: "New webhook" }));
    const form = await screen.findByRole("dialog", { name: "New webhook" });
    await user.type(within(form).getByLabelText("URL"), "http://169.254.169.254/");
    await user.click(within(form).getByRole("button", { name: "Create webhook" }));
    expect(await within(form).findByText(/cloud metadata address/)).toBeInTheDocument();
  });

  it("sends a test event, shows the delivery log and replays a delivery", async () => {
    const webhook = buildWebhook({ flaggedAt: NOW });
    let tested = 0;
    let replayed = "";
    server.use(
      http.get("/api/v1/webhooks", () => HttpResponse.json(buildPage([webhook]))),
      http.post(`/api/v1/webhooks/${webhook.id}/test`, () => {
        tested += 1;
        return HttpResponse.json(buildDelivery({ status: "pending", attempt: 0 }), { status: 202 });
      }),
      http.get(`/api/v1/webhooks/${webhook.id}/deliveries`, () => HttpResponse.json(buildPage([buildDelivery()]))),
      http.post(`/api/v1/webhooks/${webhook.id}/deliveries/:deliveryId/replay`, ({ params }) => {
        replayed = String(params.deliveryId);
        return HttpResponse.json(buildDelivery({ status: "pending" }), { status: 202 });
      }),
    );
    const { user } = renderApp("/notifications", { me: buildMe({ role: "DEVELOPER" }) });

    const row = within(await screen.findByRole("table", { name: "Webhooks" }))
      .getAllByRole("row")
      .slice(1)[0]!;
    expect(row).toHaveTextContent(/hooks\.example\.org.*Failing deliveries/);
    await user.click(within(row).getByRole("button", { name: "Test" }));
    await waitFor(() => expect(tested).toBe(1));

    const log = await screen.findByRole("table", { name: "Deliveries" });
    expect(within(log).getAllByRole("row")[1]).toHaveTextContent(
      /control\.failing.*dead.*500.*upstream down.*12 ms.*7/,
    );
    await user.click(within(log).getByRole("button", { name: "Replay msg_1" }));
    await waitFor(() => expect(replayed).toBe(buildDelivery().id));
  });

  it("shows the user's recent events under the bell", async () => {
    server.use(http.get("/api/v1/webhooks", () => HttpResponse.json(buildPage([]))));
    const { user } = renderApp("/notifications", {
      me: buildMe({ role: "DEVELOPER" }),
      events: [
        {
          specversion: "1.0",
          id: "e1",
          source: "http://localhost/catalogs/c",
          type: "control.failing",
          time: NOW,
          subject: "c1",
          datacontenttype: "application/json",
          data: {
            catalog: { id: "1b0f3f0c-8a51-4d55-9a8b-3f6a0d1c2b04", name: "ISO 27001" },
            control: { id: "2b0f3f0c-8a51-4d55-9a8b-3f6a0d1c2b05", name: "MFA enforced" },
            scope: {},
            window: null,
            previousState: "passing",
            newState: "failing",
            compliance: 40,
            threshold: 80,
            computationUrl: null,
            evidenceUrl: null,
          },
        },
      ],
    });
    await screen.findByText("No webhooks yet");
    const bell = await screen.findByRole("button", { name: /Recent events/ });
    await waitFor(() => expect(bell).toHaveAccessibleName("Recent events (1)"));
    await user.click(bell);
    expect(screen.getByRole("region", { name: "Recent events" })).toHaveTextContent(/MFA enforced failing.*ISO 27001/);
  });
});
