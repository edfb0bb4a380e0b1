// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage, buildUser } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function usersHandler(page = buildPage([buildUser()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/second-factor-policy", () =>
      HttpResponse.json({ requiredFor: { ADMIN: false, DEVELOPER: false, USER: false } }),
    ),
    http.get("/api/v1/users", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("users page", () => {
  it("lists users for an ADMIN and filters by role through the URL", async () => {
    const requests = usersHandler(
      buildPage([buildUser({ username: "ada", role: "ADMIN" }), buildUser({ username: "bo", isDisabled: true })]),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/ada.*ADMIN/);
    expect(rows[1]).toHaveTextContent(/bo.*USER.*Disabled/);

    await user.selectOptions(screen.getByLabelText("Role"), "DEVELOPER");
    await waitFor(() => expect(requests.at(-1)!.get("role")).toBe("DEVELOPER"));
  });

  it("shows a no-access message to a DEVELOPER without asking the API", async () => {
    const requests = usersHandler();
    renderApp("/users", { me: buildMe({ role: "DEVELOPER" }) });

    expect(await screen.findByText("You do not have access to this page")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "New user" })).not.toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it("puts the server's field errors on the create form", async () => {
    usersHandler();
    let body: unknown;
    server.use(
      http.post("/api/v1/users", async ({ request }) => {
        body = await request.json();
        return problemResponse({
          status: 409,
          code: "conflict",
          title: "Conflict",
          detail: "Username taken",
          errors: [{ path: "body.username", message: "Username is taken" }],
        });
      }),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "New user" }));
    const dialog = await screen.findByRole("dialog", { name: "New user" });
    await user.type(within(dialog).getByLabelText("Username"), "carla");
    await user.type(within(dialog).getByLabelText("Password"), "long-enough-pw");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "DEVELOPER");
    await user.click(within(dialog).getByRole("button", { name: "Create user" }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText("Username")).toHaveAccessibleDescription("Username is taken"),
    );
    expect(body).toEqual({ username: "carla", password: "long-enough-pw", role: "DEVELOPER" });
  }, 15_000);

  it("shows the last_admin conflict when demoting the last administrator", async () => {
    const admin = buildUser({ username: "ada", role: "ADMIN" });
    usersHandler(buildPage([admin]));
    server.use(
      http.patch(`/api/v1/users/${admin.id}`, () =>
        problemResponse({
          status: 409,
          code: "last_admin",
          title: "Conflict",
          detail: "This is the last active administrator; promote another user first",
        }),
      ),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Edit ada" }));
    const dialog = await screen.findByRole("dialog");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "USER");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("promote another user first");
  });

  it("deletes a user after confirmation", async () => {
    const target = buildUser({ username: "bo" });
    usersHandler(buildPage([target]));
    let deleted = false;
    server.use(
      http.delete(`/api/v1/users/${target.id}`, () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Delete bo" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete user" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(deleted).toBe(true);
  });

  it("signs a user out everywhere after confirmation", async () => {
    const target = buildUser({ username: "bo" });
    usersHandler(buildPage([target]));
    let endedFor: string | undefined;
    server.use(
      http.delete("/api/v1/users/:id/sessions", ({ params }) => {
        endedFor = String(params.id);
        return HttpResponse.json({ ended: 2 });
      }),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Sign out bo everywhere" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out bo everywhere?" });
    await user.click(within(dialog).getByRole("button", { name: "End all sessions" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(endedFor).toBe(target.id);
  });

  it("requires a second factor for a role and saves the policy", async () => {
    usersHandler();
    let saved: unknown;
    server.use(
      http.put("/api/v1/second-factor-policy", async ({ request }) => {
        saved = await request.json();
        return HttpResponse.json({ requiredFor: { ADMIN: true, DEVELOPER: false, USER: false } });
      }),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });
    const section = await screen.findByRole("region", { name: "Two-factor sign-in" });

    expect(await within(section).findByRole("button", { name: "Save policy" })).toBeDisabled();
    await user.click(await within(section).findByLabelText("Require for ADMIN"));
    await user.click(within(section).getByRole("button", { name: "Save policy" }));

    await waitFor(() => expect(saved).toEqual({ requiredFor: { ADMIN: true, DEVELOPER: false, USER: false } }));
    await waitFor(() => expect(within(section).getByLabelText("Require for ADMIN")).toBeChecked());
  });

  it("resets a user's second factor after confirmation", async () => {
    const target = buildUser({ username: "bo" });
    usersHandler(buildPage([target]));
    let resetFor: string | undefined;
    server.use(
      http.delete("/api/v1/users/:id/second-factor", ({ params }) => {
        resetFor = String(params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp("/users", { me: buildMe({ role: "ADMIN" }) });

    await user.click(await screen.findByRole("button", { name: "Reset two-factor sign-in of bo" }));
    const dialog = await screen.findByRole("dialog", { name: "Reset two-factor sign-in of bo?" });
    await user.click(within(dialog).getByRole("button", { name: "Reset two-factor sign-in" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(resetFor).toBe(target.id);
  });
});
