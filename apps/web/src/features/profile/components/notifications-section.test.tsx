// @vitest-environment jsdom
import type { NotificationPreferences } from "@status/shared";
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function preferences(overrides: Partial<NotificationPreferences> = {}): NotificationPreferences {
  return {
    eventTypes: [],
    scope: "all",
    catalogIds: [],
    controlIds: [],
    delivery: "immediate",
    email: "dana@example.org",
    isEmailEnabled: true,
    updatedAt: null,
    ...overrides,
  };
}

function profileHandlers(initial: NotificationPreferences) {
  const saved: unknown[] = [];
  server.use(
    http.get("/api/v1/auth/second-factor", () =>
      HttpResponse.json({ isEnabled: false, confirmedAt: null, recoveryCodesLeft: 0, isRequiredByRole: false }),
    ),
    http.get("/api/v1/auth/sessions", () => HttpResponse.json({ items: [] })),
    http.get("/api/v1/me/notification-preferences", () => HttpResponse.json(initial)),
  );
  return saved;
}

describe("notifications on the profile page", () => {
  it("saves the chosen events, catalogs and digest mode", async () => {
    const payments = buildCatalog({ name: "Payments" });
    const saved = profileHandlers(preferences());
    server.use(
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([payments, buildCatalog({ name: "HR" })]))),
      http.put("/api/v1/me/notification-preferences", async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        saved.push(body);
        return HttpResponse.json(preferences({ ...body, updatedAt: "2026-12-06T10:00:00Z" }));
      }),
    );
    const { user } = renderApp("/profile", { me: buildMe() });

    const form = await screen.findByRole("form", { name: "Notification preferences" });
    expect(within(form).getByText("Mail goes to dana@example.org.")).toBeInTheDocument();
    await user.click(within(form).getByRole("checkbox", { name: "A control starts failing" }));
    await user.click(within(form).getByRole("radio", { name: "Controls of the catalogs I choose" }));
    await user.click(await within(form).findByRole("checkbox", { name: "Payments" }));
    await user.selectOptions(within(form).getByRole("combobox", { name: "Delivery" }), "Hourly digest");
    await user.click(within(form).getByRole("button", { name: "Save notification preferences" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Saved.");
    expect(saved).toEqual([
      {
        eventTypes: ["control.failing"],
        scope: "selected",
        catalogIds: [payments.id],
        controlIds: [],
        delivery: "hourly",
      },
    ]);
  });

  it("says when the server sends no e-mail, and shows the server's refusal", async () => {
    profileHandlers(preferences({ isEmailEnabled: false, email: null }));
    server.use(
      http.put("/api/v1/me/notification-preferences", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.catalogIds", message: "Select at least one catalog or control" }],
        }),
      ),
    );
    const { user } = renderApp("/profile", { me: buildMe() });

    const form = await screen.findByRole("form", { name: "Notification preferences" });
    expect(within(form).getByText("E-mail is not set up on this server")).toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Save notification preferences" }));

    expect(await within(form).findByRole("alert")).toHaveTextContent("Select at least one catalog or control");
  });
});
