// @vitest-environment jsdom
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildAuditEntry, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function auditHandler(page = buildPage([buildAuditEntry()])) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get("/api/v1/audit", ({ request }) => {
      requests.push(new URL(request.url).searchParams);
      return HttpResponse.json(page);
    }),
  );
  return requests;
}

describe("audit log page", () => {
  it("lists entries newest first and expands one to show before and after side by side", async () => {
    const requests = auditHandler(
      buildPage([buildAuditEntry({ actorName: "ada", before: { name: "Old" }, after: { name: "New" } })]),
    );
    const { user } = renderApp("/audit-log", { me: buildMe({ role: "ADMIN" }) });

    const rows = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1);
    expect(rows[0]).toHaveTextContent(/ada.*update.*catalog/);
    expect(requests[0]!.get("sort")).toBe("-at");

    await user.click(screen.getByRole("button", { name: "Show changes" }));
    expect(screen.getByRole("region", { name: "Before" })).toHaveTextContent('"name": "Old"');
    expect(screen.getByRole("region", { name: "After" })).toHaveTextContent('"name": "New"');
  });

  it("marks a change made with a personal API token and names the token and its scopes", async () => {
    const tokenId = "00000000-0000-4000-8000-0000000000aa";
    auditHandler(buildPage([buildAuditEntry({ actorName: "ci-bot", tokenId, tokenScopes: ["evidence:write"] })]));
    const { user } = renderApp("/audit-log", { me: buildMe({ role: "ADMIN" }) });

    const row = within(await screen.findByRole("table"))
      .getAllByRole("row")
      .slice(1)[0]!;
    expect(row).toHaveTextContent(/ci-bot.*API token/);

    await user.click(screen.getByRole("button", { name: "Show changes" }));
    expect(screen.getByText(`Made with API token ${tokenId} (scopes evidence:write)`)).toBeInTheDocument();
  });

  it("reads filters from the URL and writes new ones back", async () => {
    const actorId = "00000000-0000-4000-8000-00000000abcd";
    const requests = auditHandler();
    const { user, router } = renderApp(`/audit-log?actorId=${actorId}&from=2025-06-01T00:00:00.000Z`, {
      me: buildMe({ role: "ADMIN" }),
    });

    await screen.findByRole("table");
    expect(Object.fromEntries(requests[0]!)).toMatchObject({ actorId, from: "2025-06-01T00:00:00.000Z" });

    await user.selectOptions(screen.getByLabelText("Action"), "delete");
    await waitFor(() => expect(currentUrl(router).searchParams.get("action")).toBe("delete"));
    // The router commits the new address in a transition; flush it so the next change merges into it.
    await act(async () => {});
    await user.selectOptions(screen.getByLabelText("Resource"), "user");
    await waitFor(() =>
      expect(Object.fromEntries(requests.at(-1)!)).toMatchObject({ actorId, action: "delete", resourceType: "user" }),
    );
    expect(currentUrl(router).searchParams.get("action")).toBe("delete");
  });

  it("shows a no-access message to a USER", async () => {
    const requests = auditHandler();
    renderApp("/audit-log", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByText("You do not have access to this page")).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it("shows the problem detail when the log cannot be loaded", async () => {
    server.use(
      http.get("/api/v1/audit", () =>
        problemResponse({ status: 503, code: "unavailable", title: "Unavailable", detail: "Database down" }),
      ),
    );
    renderApp("/audit-log", { me: buildMe({ role: "ADMIN" }) });

    expect(await screen.findByRole("alert")).toHaveTextContent("Database down");
  });
});
