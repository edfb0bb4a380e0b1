// @vitest-environment jsdom
import type { MyControl } from "@status/shared";
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, nextId } from "@/testing/factories.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function buildMyControl(overrides: Partial<MyControl> = {}): MyControl {
  return {
    controlId: nextId(),
    controlName: "Backups run nightly",
    catalogId: nextId(),
    catalogName: "ISO 27001",
    isOwner: true,
    isWatching: false,
    state: "failing",
    lastEvaluatedAt: "2026-11-03T00:05:00Z",
    activeExceptionCount: 1,
    unhandledFailureCount: 3,
    ...overrides,
  };
}

describe("My controls", () => {
  it("lists the controls the user owns or watches, with their state and what is left to handle", async () => {
    const owned = buildMyControl();
    const watched = buildMyControl({
      controlName: "Reviews are recent",
      isOwner: false,
      isWatching: true,
      state: "passing",
      activeExceptionCount: 0,
      unhandledFailureCount: 0,
    });
    server.use(http.get("/api/v1/me/controls", () => HttpResponse.json({ items: [owned, watched] })));
    renderApp("/my-controls", { me: buildMe({ role: "USER" }) });

    const table = await screen.findByRole("table", { name: "My controls" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(/Backups run nightly.*ISO 27001.*Owner.*Failing.*3.*1/);
    expect(rows[1]).toHaveTextContent(/Reviews are recent.*Watching.*Passing/);
    expect(within(rows[0]!).getByRole("link", { name: "Backups run nightly" })).toHaveAttribute(
      "href",
      `/catalogs/${owned.catalogId}/controls/${owned.controlId}`,
    );
    expect(screen.getByRole("link", { name: "My controls" })).toBeInTheDocument();
  });

  it("says how to start when the user owns and watches nothing", async () => {
    server.use(http.get("/api/v1/me/controls", () => HttpResponse.json({ items: [] })));
    renderApp("/my-controls", { me: buildMe({ role: "USER" }) });

    expect(await screen.findByText("You own and watch no control yet")).toBeInTheDocument();
  });
});
