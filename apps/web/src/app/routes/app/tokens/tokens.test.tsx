// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildApiToken, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function tokensHandler(page = buildPage([buildApiToken()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/tokens", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("API tokens page", () => {
  it("lists the user's tokens and asks for revoked ones only when the toggle is on", async () => {
    const requests = tokensHandler(buildPage([buildApiToken({ name: "CI pipeline", prefix: "st_abc" })]));
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/CI pipeline.*st_abc….*Active/);
    expect(requests[0]!.has("includeRevoked")).toBe(false);

    await user.click(screen.getByLabelText("Show revoked tokens"));
    await waitFor(() => expect(requests.at(-1)!.get("includeRevoked")).toBe("true"));
  });

  it("puts the server's field errors on the create form", async () => {
    tokensHandler();
    server.use(
      http.post("/api/v1/tokens", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          errors: [{ path: "body.name", message: "Too long" }],
        }),
      ),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New token" }));
    const dialog = await screen.findByRole("dialog", { name: "New API token" });
    await user.type(within(dialog).getByLabelText("Name"), "CI");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));

    await waitFor(() => expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription(/Too long/));
  });

  it("shows the new secret once, with a copy button and a warning", async () => {
    tokensHandler();
    const created = { ...buildApiToken({ name: "Deploy", expiresAt: null }), token: "st_secret_value" };
    let body: unknown;
    server.use(
      http.post("/api/v1/tokens", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New token" }));
    const form = await screen.findByRole("dialog");
    await user.type(within(form).getByLabelText("Name"), "Deploy");
    await user.selectOptions(within(form).getByLabelText("Expires after"), "Never");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    const dialog = await screen.findByRole("dialog", { name: "Copy your new token" });
    expect(body).toEqual({ name: "Deploy", expiresInDays: null });
    expect(within(dialog).getByLabelText("Token")).toHaveValue("st_secret_value");
    expect(dialog).toHaveTextContent("You will not see it again");
    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    expect(await within(dialog).findByRole("button", { name: "Copied" })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe("st_secret_value");
  });

  it("revokes a token after confirmation and shows a failure in the dialog", async () => {
    const token = buildApiToken({ name: "Old" });
    tokensHandler(buildPage([token]));
    server.use(
      http.delete(`/api/v1/tokens/${token.id}`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found", detail: "The token no longer exists" }),
      ),
    );
    const { user } = renderApp("/api-tokens", { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "Revoke Old" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The token no longer exists");
  });
});
