// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildUserSession } from "@/testing/factories.ts";
import { capabilitiesHandler, problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const STATUS_OFF = { isEnabled: false, confirmedAt: null, recoveryCodesLeft: 0, isRequiredByRole: false };

function profileHandlers() {
  server.use(
    http.get("/api/v1/auth/second-factor", () => HttpResponse.json(STATUS_OFF)),
    http.get("/api/v1/auth/sessions", () => HttpResponse.json({ items: [buildUserSession({ isCurrent: true })] })),
  );
}

describe("profile: password, GitHub and API access", () => {
  it("changes the password and says how many other sessions were signed out", async () => {
    profileHandlers();
    let body: unknown;
    server.use(
      http.post("/api/v1/auth/password", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ended: 2 });
      }),
    );
    const { user } = renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Password" });

    await user.type(within(section).getByLabelText("Current password"), "the old password");
    await user.type(within(section).getByLabelText("New password"), "a fresh passphrase");
    await user.type(within(section).getByLabelText("Repeat the new password"), "a fresh passphrase");
    await user.click(within(section).getByRole("button", { name: "Change password" }));

    expect(await within(section).findByText(/2 other sessions were signed out/)).toBeInTheDocument();
    expect(body).toEqual({ currentPassword: "the old password", newPassword: "a fresh passphrase" });
  });

  it("shows the API's refusal of a wrong current password on its field", async () => {
    profileHandlers();
    server.use(
      http.post("/api/v1/auth/password", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.currentPassword", message: "The current password is wrong" }],
        }),
      ),
    );
    const { user } = renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Password" });

    await user.type(within(section).getByLabelText("Current password"), "not my password");
    await user.type(within(section).getByLabelText("New password"), "a fresh passphrase");
    await user.type(within(section).getByLabelText("Repeat the new password"), "a fresh passphrase");
    await user.click(within(section).getByRole("button", { name: "Change password" }));

    expect(await within(section).findByText("The current password is wrong")).toBeInTheDocument();
  });

  it("refuses two different new passwords before asking the API", async () => {
    profileHandlers();
    const { user } = renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "Password" });

    await user.type(within(section).getByLabelText("Current password"), "the old password");
    await user.type(within(section).getByLabelText("New password"), "a fresh passphrase");
    await user.type(within(section).getByLabelText("Repeat the new password"), "another passphrase");
    await user.click(within(section).getByRole("button", { name: "Change password" }));

    expect(await within(section).findByText("The two new passwords differ")).toBeInTheDocument();
  });

  it("links GitHub through the OAuth round trip with link=true, and says when it came back linked", async () => {
    profileHandlers();
    renderApp("/profile?github=linked", { me: buildMe({ githubLogin: null }) });
    const section = await screen.findByRole("region", { name: "GitHub account" });

    expect(within(section).getByRole("link", { name: "Link GitHub" })).toHaveAttribute(
      "href",
      "/api/v1/auth/github?link=true",
    );
    expect(within(section).getByText(/Your GitHub account is linked/)).toBeInTheDocument();
  });

  it("disables linking and names the variables when GitHub sign-in is not configured", async () => {
    profileHandlers();
    server.use(capabilitiesHandler(["github"]));
    renderApp("/profile", { me: buildMe({ githubLogin: null }) });
    const section = await screen.findByRole("region", { name: "GitHub account" });

    expect(await within(section).findByRole("button", { name: "Link GitHub" })).toBeDisabled();
    expect(within(section).getByRole("status")).toHaveTextContent("GITHUB_CLIENT_ID");
  });

  it("unlinks GitHub after confirming, and shows why when it is the last way to sign in", async () => {
    profileHandlers();
    server.use(
      http.delete("/api/v1/auth/github/link", () =>
        problemResponse({
          status: 409,
          code: "last_sign_in_method",
          title: "Conflict",
          detail: "GitHub is your only way to sign in",
        }),
      ),
    );
    const { user } = renderApp("/profile", { me: buildMe({ githubLogin: "octo" }) });
    const section = await screen.findByRole("region", { name: "GitHub account" });

    expect(within(section).getByText("octo")).toBeInTheDocument();
    await user.click(within(section).getByRole("button", { name: "Unlink GitHub" }));
    const dialog = await screen.findByRole("dialog", { name: "Unlink GitHub?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("GitHub is your only way to sign in");
  });

  it("links to the API documentation and the API tokens", async () => {
    profileHandlers();
    renderApp("/profile", { me: buildMe() });
    const section = await screen.findByRole("region", { name: "API access" });

    expect(within(section).getByRole("link", { name: "API documentation" })).toHaveAttribute("href", "/api/v1/docs");
    expect(within(section).getByRole("link", { name: "API tokens" })).toHaveAttribute("href", "/api-tokens");
  });

  it("sends a user who must change their password to the change page before anything else", async () => {
    let me = buildMe({ mustChangePassword: true });
    server.use(
      http.get("/api/v1/auth/me", () => HttpResponse.json(me)),
      http.post("/api/v1/auth/password", () => {
        me = { ...me, mustChangePassword: false };
        return HttpResponse.json({ ended: 0 });
      }),
      http.get("/api/v1/overview", () => HttpResponse.json({})),
    );
    const { user, router } = renderApp("/catalogs");

    expect(await screen.findByRole("heading", { name: "Choose a new password" })).toBeInTheDocument();
    expect(currentUrl(router).pathname).toBe("/change-password");
    await user.type(screen.getByLabelText("Current password"), "temporary-pass-1");
    await user.type(screen.getByLabelText("New password"), "my own passphrase");
    await user.type(screen.getByLabelText("Repeat the new password"), "my own passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe("/"));
  });
});
