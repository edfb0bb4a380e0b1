// @vitest-environment jsdom
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse, providersHandler, unauthenticated } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

async function fillAndSubmit(user: ReturnType<typeof renderApp>["user"], username: string, password: string) {
  await user.type(await screen.findByLabelText("Username"), username);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login page", () => {
  it("shows the server's field errors next to the fields they name", async () => {
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          detail: "1 field is invalid",
          errors: [{ path: "body.username", message: "Too long for a username" }],
        }),
      ),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "someone", "secret-password");

    expect(await screen.findByLabelText("Username")).toHaveAccessibleDescription("Too long for a username");
    expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "true");
  });

  it("marks empty fields as required without calling the API", async () => {
    server.use(providersHandler(false));
    const { user } = renderApp("/login");

    await user.click(await screen.findByRole("button", { name: "Sign in" }));

    expect(await screen.findByLabelText("Username")).toHaveAccessibleDescription("Required");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Required");
  });

  it("says the credentials are wrong on 401 invalid_credentials", async () => {
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", () =>
        problemResponse({ status: 401, code: "invalid_credentials", title: "Invalid credentials" }),
      ),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "dana", "wrong-password");

    expect(await screen.findByRole("alert")).toHaveTextContent("Incorrect username or password.");
  });

  it("explains a username-wide lock (429 account_locked) with the server's detail", async () => {
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", () =>
        problemResponse({
          status: 429,
          code: "account_locked",
          title: "Account temporarily locked",
          detail:
            "Sign-in to this account failed from many addresses; for 840 seconds only a correct password and second factor get through",
        }),
      ),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "admin", "right-password");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This account is temporarily locked after failed sign-ins from many places.");
    expect(alert).toHaveTextContent("for 840 seconds");
  });

  it("signs in with a cookie session and returns to the page in ?next", async () => {
    const me = buildMe();
    let loginBody: unknown;
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", async ({ request }) => {
        loginBody = await request.json();
        return HttpResponse.json({ user: me, expiresAt: "2030-01-01T00:00:00Z" });
      }),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    const { user, router } = renderApp("/login?next=%2Fcatalogs%3Fstatus%3Ddraft");

    await fillAndSubmit(user, "dana", "correct-password");

    expect(await screen.findByRole("heading", { name: "Catalogs" })).toBeInTheDocument();
    expect(currentUrl(router).pathname + currentUrl(router).search).toBe("/catalogs?status=draft");
    expect(loginBody).toEqual({ username: "dana", password: "correct-password", session: "cookie" });
  });

  it("offers GitHub sign-in only when the server enables it", async () => {
    server.use(providersHandler(true));
    renderApp("/login");

    const github = await screen.findByRole("link", { name: "Sign in with GitHub" });

    expect(github).toHaveAttribute("href", "/api/v1/auth/github");
  });

  it("does not offer GitHub sign-in when it is disabled", async () => {
    server.use(providersHandler(false));
    renderApp("/login");

    await screen.findByRole("button", { name: "Sign in" });

    expect(screen.queryByRole("link", { name: "Sign in with GitHub" })).not.toBeInTheDocument();
  });

  it("explains ?error=github_not_linked", async () => {
    server.use(providersHandler(true));
    renderApp("/login?error=github_not_linked");

    expect(await screen.findByRole("alert")).toHaveTextContent("This GitHub account is not linked to a STATUS user");
  });

  it("sends a signed-out visitor of a protected page to /login with ?next", async () => {
    // The page's loader starts its request alongside the session check; it fails the same way.
    server.use(providersHandler(false), http.get("/api/v1/catalogs", unauthenticated));
    const { router } = renderApp("/catalogs?q=iso", { me: null });

    await screen.findByRole("heading", { name: "Sign in" });

    expect(currentUrl(router).pathname).toBe("/login");
    expect(currentUrl(router).searchParams.get("next")).toBe("/catalogs?q=iso");
  });

  it("asks for the authenticator code after the password, then signs in", async () => {
    const me = buildMe();
    let secondStepBody: unknown;
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", () =>
        HttpResponse.json({
          secondFactor: {
            pendingToken: "spl_pending-token-123456",
            purpose: "verify",
            expiresAt: "2030-01-01T00:00:00Z",
          },
        }),
      ),
      http.post("/api/v1/auth/login/second-factor", async ({ request }) => {
        secondStepBody = await request.json();
        return HttpResponse.json({ user: me, expiresAt: "2030-01-01T00:00:00Z" });
      }),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    const { user, router } = renderApp("/login?next=%2Fcatalogs");

    await fillAndSubmit(user, "dana", "correct-password");
    expect(await screen.findByRole("heading", { name: "Two-factor sign-in" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Authentication code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    expect(await screen.findByRole("heading", { name: "Catalogs" })).toBeInTheDocument();
    expect(currentUrl(router).pathname).toBe("/catalogs");
    expect(secondStepBody).toEqual({ pendingToken: "spl_pending-token-123456", code: "123456", session: "cookie" });
  });

  it("says so when the code is wrong, and offers to start over", async () => {
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login", () =>
        HttpResponse.json({
          secondFactor: {
            pendingToken: "spl_pending-token-123456",
            purpose: "verify",
            expiresAt: "2030-01-01T00:00:00Z",
          },
        }),
      ),
      http.post("/api/v1/auth/login/second-factor", () =>
        problemResponse({ status: 401, code: "second_factor_invalid", title: "Second factor not accepted" }),
      ),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "dana", "correct-password");
    await user.type(await screen.findByLabelText("Authentication code"), "000000");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("That code is wrong or was already used.");
    await user.click(screen.getByRole("button", { name: "Start over" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("walks a user whose role requires it through enrolment, then shows the recovery codes once", async () => {
    const codes = Array.from({ length: 10 }, (_, index) => `abcde-fgh${String(index).padStart(2, "2")}`);
    server.use(
      providersHandler(false),
      http.post("/api/v1/auth/login/second-factor/enrolment", () =>
        HttpResponse.json({
          secret: "JBSWY3DPEHPK3PXP",
          otpauthUri: "otpauth://totp/STATUS:dana?secret=JBSWY3DPEHPK3PXP",
          qrCodeDataUrl: "data:image/svg+xml;base64,PHN2Zy8+",
        }),
      ),
      http.post("/api/v1/auth/login/second-factor", () =>
        HttpResponse.json({ user: buildMe(), expiresAt: "2030-01-01T00:00:00Z", recoveryCodes: codes }),
      ),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    // GitHub sign-in comes back with the pending login in the fragment.
    const { user, router } = renderApp("/login?next=%2Fcatalogs#pendingToken=spl_pending-token-123456&purpose=enrol");

    expect(await screen.findByRole("img", { name: "QR code for your authenticator app" })).toHaveAttribute(
      "src",
      "data:image/svg+xml;base64,PHN2Zy8+",
    );
    expect(screen.getByLabelText("Secret key")).toHaveTextContent("JBSWY3DPEHPK3PXP");
    expect(currentUrl(router).hash).toBe("");
    await user.type(screen.getByLabelText("Authentication code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    const list = await screen.findByRole("list", { name: "Recovery codes" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(10);
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByRole("heading", { name: "Catalogs" })).toBeInTheDocument();
  });

  it("offers single sign-on under the provider's name when the server enables it", async () => {
    server.use(
      http.get("/api/v1/auth/providers", () =>
        HttpResponse.json({ local: true, github: false, oidc: { name: "Acme Login" } }),
      ),
    );
    renderApp("/login");

    const button = await screen.findByRole("link", { name: "Sign in with Acme Login" });

    expect(button).toHaveAttribute("href", "/api/v1/auth/oidc");
    expect(screen.queryByRole("link", { name: "Sign in with GitHub" })).not.toBeInTheDocument();
  });

  it.each([
    ["oidc_no_role", "Your account has no role in STATUS"],
    ["oidc_token_invalid", "The identity provider's answer could not be verified"],
    ["oidc_unavailable", "The identity provider could not be reached"],
    ["oidc_state_invalid", "This sign-in link has expired or was already used"],
  ])("explains a refused single sign-on (?error=%s) in plain words", async (code, title) => {
    server.use(providersHandler(false));
    renderApp(`/login?error=${code}`);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(title);
    expect(alert).not.toHaveTextContent("Unknown");
  });
});
