// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage, buildUserSession } from "@/testing/factories.ts";
import { problemResponse, providersHandler } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

/** The notifications section's answer: nothing chosen, e-mail not configured. */
const notificationsOff = () =>
  http.get("/api/v1/me/notification-preferences", () =>
    HttpResponse.json({
      eventTypes: [],
      scope: "all",
      catalogIds: [],
      controlIds: [],
      delivery: "immediate",
      email: null,
      isEmailEnabled: false,
      updatedAt: null,
    }),
  );

const STATUS_OFF = { isEnabled: false, confirmedAt: null, recoveryCodesLeft: 0, isRequiredByRole: false };

function sessionsHandler(initial = [buildUserSession({ isCurrent: true })]) {
  let sessions = initial;
  const revoked: string[] = [];
  server.use(
    notificationsOff(),
    http.get("/api/v1/auth/second-factor", () => HttpResponse.json(STATUS_OFF)),
    http.get("/api/v1/auth/sessions", () => HttpResponse.json({ items: sessions })),
    http.delete("/api/v1/auth/sessions/:id", ({ params }) => {
      revoked.push(String(params.id));
      sessions = sessions.filter((session) => session.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return revoked;
}

describe("profile page", () => {
  it("is reachable from the user's name in the header", async () => {
    sessionsHandler();
    server.use(http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))));
    const { user, router } = renderApp("/catalogs", { me: buildMe({ displayName: "Dana Doe" }) });

    await user.click(await screen.findByRole("link", { name: "Profile (Dana Doe)" }));

    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(currentUrl(router).pathname).toBe("/profile");
  });

  it("lists the sessions with device, address and last use, and marks this session", async () => {
    sessionsHandler([
      buildUserSession({ isCurrent: true, deviceLabel: "Firefox on Linux", ipAddress: "198.51.100.7" }),
      buildUserSession({
        deviceLabel: "Safari on iOS",
        ipAddress: "203.0.113.9",
        authMethod: "github",
        lastUsedAt: "2025-01-03T08:00:00Z",
      }),
    ]);
    renderApp("/profile", { me: buildMe() });

    const section = await screen.findByRole("region", { name: "Sessions" });
    const rows = within(await within(section).findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/Firefox on Linux.*This session.*Password.*198\.51\.100\.7/);
    expect(rows[1]).toHaveTextContent(/Safari on iOS.*GitHub.*203\.0\.113\.9/);
    expect(rows[1]).not.toHaveTextContent("This session");
    expect(rows[1]).toHaveTextContent(new Date("2025-01-03T08:00:00Z").getFullYear().toString());
  });

  it("revokes another session after confirming, and the list no longer shows it", async () => {
    const phone = buildUserSession({ deviceLabel: "Safari on iOS" });
    const revoked = sessionsHandler([buildUserSession({ isCurrent: true }), phone]);
    const { user } = renderApp("/profile", { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Sign out Safari on iOS" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out “Safari on iOS”?" });
    await user.click(within(dialog).getByRole("button", { name: "Revoke session" }));

    await waitFor(() => expect(screen.queryByText("Safari on iOS")).not.toBeInTheDocument());
    expect(revoked).toEqual([phone.id]);
    expect(screen.getByText("Firefox on Linux")).toBeInTheDocument();
  });

  it("signs this browser out when the current session is ended", async () => {
    const current = buildUserSession({ isCurrent: true });
    const revoked = sessionsHandler([current]);
    server.use(providersHandler(false));
    const { user, router } = renderApp("/profile", { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Sign out this session" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out this session?" });
    await user.click(within(dialog).getByRole("button", { name: "Sign out" }));

    await screen.findByRole("heading", { name: "Sign in" });
    expect(currentUrl(router).pathname).toBe("/login");
    expect(revoked).toEqual([current.id]);
  });

  it("shows why a revocation failed", async () => {
    sessionsHandler([buildUserSession({ isCurrent: true }), buildUserSession({ deviceLabel: "Safari on iOS" })]);
    server.use(
      http.delete("/api/v1/auth/sessions/:id", () =>
        problemResponse({ status: 404, code: "not_found", title: "Resource not found", detail: "No open session" }),
      ),
    );
    const { user } = renderApp("/profile", { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Sign out Safari on iOS" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Revoke session" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The session was not ended");
  });

  it("offers to try again when the sessions cannot be loaded", async () => {
    server.use(
      notificationsOff(),
      http.get("/api/v1/auth/second-factor", () => HttpResponse.json(STATUS_OFF)),
      http.get("/api/v1/auth/sessions", () =>
        problemResponse({ status: 503, code: "service_unavailable", title: "Service unavailable" }),
      ),
    );
    renderApp("/profile", { me: buildMe() });

    expect(await screen.findByRole("alert")).toHaveTextContent("The sessions could not be loaded");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("turns two-factor sign-in on: QR code, a confirming code, then the recovery codes once", async () => {
    sessionsHandler();
    let status: object = STATUS_OFF;
    let confirmBody: unknown;
    const codes = Array.from({ length: 10 }, (_, index) => `abcde-fgh${String(index).padStart(2, "2")}`);
    server.use(
      notificationsOff(),
      http.get("/api/v1/auth/second-factor", () => HttpResponse.json(status)),
      http.post("/api/v1/auth/second-factor/totp", () =>
        HttpResponse.json({
          secret: "JBSWY3DPEHPK3PXP",
          otpauthUri: "otpauth://totp/STATUS:dana?secret=JBSWY3DPEHPK3PXP",
          qrCodeDataUrl: "data:image/svg+xml;base64,PHN2Zy8+",
        }),
      ),
      http.post("/api/v1/auth/second-factor/totp/confirm", async ({ request }) => {
        confirmBody = await request.json();
        status = {
          isEnabled: true,
          confirmedAt: "2025-01-03T10:00:00Z",
          recoveryCodesLeft: 10,
          isRequiredByRole: false,
        };
        return HttpResponse.json({ recoveryCodes: codes });
      }),
    );
    const { user } = renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Two-factor sign-in" });

    await user.click(await within(section).findByRole("button", { name: "Turn on two-factor sign-in" }));
    expect(await within(section).findByRole("img", { name: "QR code for your authenticator app" })).toBeInTheDocument();
    expect(within(section).getByLabelText("Secret key")).toHaveTextContent("JBSWY3DPEHPK3PXP");
    await user.type(within(section).getByLabelText("Code from the app"), "123456");
    await user.click(within(section).getByRole("button", { name: "Confirm" }));

    const list = await within(section).findByRole("list", { name: "Recovery codes" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(codes);
    expect(confirmBody).toEqual({ code: "123456" });
    await user.click(within(section).getByRole("button", { name: "Done" }));
    expect(await within(section).findByText(/10 recovery codes left/)).toBeInTheDocument();
    expect(within(section).queryByRole("list", { name: "Recovery codes" })).not.toBeInTheDocument();
  });

  it("turns it off with a current code", async () => {
    sessionsHandler();
    let deleteBody: unknown;
    server.use(
      notificationsOff(),
      http.get("/api/v1/auth/second-factor", () =>
        HttpResponse.json({
          isEnabled: true,
          confirmedAt: "2025-01-03T10:00:00Z",
          recoveryCodesLeft: 7,
          isRequiredByRole: false,
        }),
      ),
      http.delete("/api/v1/auth/second-factor/totp", async ({ request }) => {
        deleteBody = await request.json();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Two-factor sign-in" });

    await user.click(await within(section).findByRole("button", { name: "Turn off" }));
    await user.type(within(section).getByLabelText("Current code"), "654321");
    await user.click(within(section).getByRole("button", { name: "Turn off two-factor sign-in" }));

    await waitFor(() => expect(deleteBody).toEqual({ code: "654321" }));
  });

  it("offers no way to turn it off while the role requires it", async () => {
    sessionsHandler();
    server.use(
      notificationsOff(),
      http.get("/api/v1/auth/second-factor", () =>
        HttpResponse.json({
          isEnabled: true,
          confirmedAt: "2025-01-03T10:00:00Z",
          recoveryCodesLeft: 9,
          isRequiredByRole: true,
        }),
      ),
    );
    renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Two-factor sign-in" });

    expect(await within(section).findByText("Required for your role")).toBeInTheDocument();
    expect(within(section).queryByRole("button", { name: "Turn off" })).not.toBeInTheDocument();
    expect(within(section).getByRole("button", { name: "New recovery codes" })).toBeInTheDocument();
  });
});
