// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage, buildScope } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function scopesHandler(page = buildPage([buildScope()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/scopes", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("scopes page", () => {
  it("renders a row per scope of the fetched page and keeps the type filter in the URL", async () => {
    const requests = scopesHandler(
      buildPage([buildScope({ name: "team", type: "string", allowedValues: ["core", "web"] })]),
    );
    const { user, router } = renderApp("/scopes", { me: buildMe({ role: "USER" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(/team.*string.*core, web/);

    await user.selectOptions(screen.getByLabelText("Type"), "number");
    await waitFor(() => expect(Object.fromEntries(requests.at(-1)!)).toMatchObject({ type: "number" }));
    expect(currentUrl(router).searchParams.get("type")).toBe("number");
  });

  it("offers no create, edit or delete to a USER", async () => {
    scopesHandler();
    renderApp("/scopes", { me: buildMe({ role: "USER" }) });

    await screen.findByRole("table");

    expect(screen.queryByRole("button", { name: "New scope" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Delete / })).not.toBeInTheDocument();
  });

  it("creates a scope with typed values and puts the server's field errors on the form", async () => {
    scopesHandler();
    let body: unknown;
    server.use(
      http.post("/api/v1/scopes", async ({ request }) => {
        body = await request.json();
        return problemResponse({
          status: 409,
          code: "conflict",
          title: "Conflict",
          detail: "A scope with this name exists",
          errors: [{ path: "body.name", message: "Already used by another scope" }],
        });
      }),
    );
    const { user } = renderApp("/scopes", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "New scope" }));
    const dialog = await screen.findByRole("dialog", { name: "New scope" });
    await user.type(within(dialog).getByLabelText("Name"), "max_size");
    await user.selectOptions(within(dialog).getByLabelText("Type"), "number");
    await user.type(within(dialog).getByLabelText("Default value"), "10");
    await user.type(within(dialog).getByLabelText("Allowed values"), "10, 20");
    await user.click(within(dialog).getByRole("button", { name: "Create scope" }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription(/Already used by another scope/),
    );
    expect(body).toEqual({
      name: "max_size",
      description: "",
      type: "number",
      defaultValue: 10,
      allowedValues: [10, 20],
    });
  }, 15_000);

  it("shows clearly that a scope in use cannot be deleted", async () => {
    const scope = buildScope({ name: "repository" });
    scopesHandler(buildPage([scope]));
    server.use(
      http.delete(`/api/v1/scopes/${scope.id}`, () =>
        problemResponse({
          status: 409,
          code: "scope_in_use",
          title: "Conflict",
          detail: "Scope sets of some controls use this scope; remove it from them first",
        }),
      ),
    );
    const { user } = renderApp("/scopes", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Delete repository" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Delete scope" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("This scope is in use");
    expect(alert).toHaveTextContent("remove it from them first");
  });

  it("edits the description and values but not the name", async () => {
    const scope = buildScope({ name: "repository", description: "Repo" });
    scopesHandler(buildPage([scope]));
    let body: unknown;
    server.use(
      http.patch(`/api/v1/scopes/${scope.id}`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ ...scope, description: "A repository" });
      }),
    );
    const { user } = renderApp("/scopes", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Edit repository" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByLabelText("Name")).toBeDisabled();
    await user.clear(within(dialog).getByLabelText("Description"));
    await user.type(within(dialog).getByLabelText("Description"), "A repository");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(body).toEqual({ description: "A repository", defaultValue: "*", allowedValues: null });
  });
});
