// @vitest-environment jsdom
import { AUTH_COOKIES } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe } from "@/testing/factories.ts";
import { setCookie } from "@/testing/cookies.ts";
import { providersHandler, unauthenticated } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

describe("app shell", () => {
  it("shows the user's name and role, and the admin areas only to an ADMIN", async () => {
    renderApp("/scopes", { me: buildMe({ displayName: "Ada Admin", role: "ADMIN" }) });

    const navigation = await screen.findByRole("navigation", { name: "Main" });

    expect(screen.getByText("Ada Admin")).toBeInTheDocument();
    expect(screen.getByText("ADMIN")).toBeInTheDocument();
    expect(within(navigation).getByRole("link", { name: "Audit log" })).toBeInTheDocument();
    expect(within(navigation).getByRole("link", { name: "Users" })).toBeInTheDocument();
  });

  it("hides the admin areas from a DEVELOPER and refuses them when visited directly", async () => {
    renderApp("/users", { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByRole("alert")).toHaveTextContent("You do not have access to this page");
    const navigation = screen.getByRole("navigation", { name: "Main" });
    expect(within(navigation).queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
    expect(within(navigation).queryByRole("link", { name: "Audit log" })).not.toBeInTheDocument();
  });

  it("switches to dark mode with a class on <html> and remembers the choice", async () => {
    const { user } = renderApp("/scopes", { me: buildMe() });

    await user.click(await screen.findByRole("button", { name: "Switch to dark theme" }));

    expect(document.documentElement).toHaveClass("dark");
    expect(localStorage.getItem("status.theme")).toBe("dark");
    expect(screen.getByRole("button", { name: "Switch to light theme" })).toBeInTheDocument();
  });

  it("logs out, goes to the login page and forgets the session without asking for it again", async () => {
    let isLoggedOut = false;
    let meRequests = 0;
    server.use(
      providersHandler(false),
      http.get("/api/v1/auth/me", () => {
        meRequests += 1;
        return isLoggedOut ? unauthenticated() : HttpResponse.json(buildMe());
      }),
      http.post("/api/v1/auth/logout", () => {
        isLoggedOut = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user, router, queryClient } = renderApp("/scopes");

    await user.click(await screen.findByRole("button", { name: "Log out" }));

    await screen.findByRole("heading", { name: "Sign in" });
    expect(currentUrl(router).pathname).toBe("/login");
    expect(isLoggedOut).toBe(true);
    await waitFor(() => expect(queryClient.getQueryData(["auth", "me"])).toBeUndefined());
    expect(meRequests).toBe(1);
  });

  it("goes to /login?next=… when a request fails and the session cannot be refreshed", async () => {
    setCookie(AUTH_COOKIES.csrf, "csrf-123");
    let refreshCount = 0;
    server.use(
      providersHandler(false),
      http.get("/api/v1/catalogs", unauthenticated),
      http.post("/api/v1/auth/refresh", () => {
        refreshCount += 1;
        return unauthenticated();
      }),
    );
    const { router } = renderApp("/catalogs?status=draft", { me: buildMe() });

    await screen.findByRole("heading", { name: "Sign in" });

    expect(currentUrl(router).pathname).toBe("/login");
    expect(currentUrl(router).searchParams.get("next")).toBe("/catalogs?status=draft");
    expect(refreshCount).toBe(1);
  });
});
