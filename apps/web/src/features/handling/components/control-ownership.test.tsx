// @vitest-environment jsdom
import type { Control } from "@status/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { queryConfig } from "@/lib/query-client.ts";
import { buildControl, nextId } from "@/testing/factories.ts";
import { server } from "@/testing/server.ts";
import { ControlOwnership } from "./control-ownership.tsx";

const ADA = { id: nextId(), username: "ada", displayName: "Ada Lovelace", role: "DEVELOPER" as const };

function renderOwnership(control: Control, viewer: { id: string; role: "USER" | "DEVELOPER" }) {
  const onChanged = vi.fn();
  const queryClient = new QueryClient({
    defaultOptions: { ...queryConfig, queries: { ...queryConfig.queries, retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <ControlOwnership control={control} viewer={viewer} isWritable onChanged={onChanged} />
    </QueryClientProvider>,
  );
  return { onChanged, user: userEvent.setup() };
}

describe("owner and watchers in the control header", () => {
  it("lets a DEVELOPER pick the owner and a USER watch the control themself", async () => {
    const control = buildControl();
    const calls: { method: string; path: string; body: unknown }[] = [];
    server.use(
      http.get("/api/v1/people", () => HttpResponse.json({ items: [ADA] })),
      http.put(`/api/v1/controls/${control.id}/owner`, async ({ request }) => {
        calls.push({ method: "PUT", path: "owner", body: await request.json() });
        return HttpResponse.json({ ...control, owner: ADA });
      }),
      http.post(`/api/v1/controls/${control.id}/watchers`, async ({ request }) => {
        calls.push({ method: "POST", path: "watchers", body: await request.json() });
        return HttpResponse.json(control);
      }),
    );
    const developer = renderOwnership(control, { id: ADA.id, role: "DEVELOPER" });
    await screen.findByRole("option", { name: "Ada Lovelace" });
    await developer.user.selectOptions(screen.getByLabelText("Owner"), "Ada Lovelace");
    await waitFor(() => expect(developer.onChanged).toHaveBeenCalled());
    expect(calls).toEqual([{ method: "PUT", path: "owner", body: { userId: ADA.id } }]);

    await developer.user.click(screen.getByRole("button", { name: "Watch" }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toEqual({ method: "POST", path: "watchers", body: { userId: ADA.id } });
  });

  it("shows a USER the owner as text and lets them unwatch", async () => {
    const viewer = { id: nextId(), role: "USER" as const };
    const control = buildControl({
      owner: { id: ADA.id, username: "ada", displayName: "Ada Lovelace" },
      watchers: [{ id: viewer.id, username: "vic", displayName: null }],
    });
    let isRemoved = false;
    server.use(
      http.delete(`/api/v1/controls/${control.id}/watchers/${viewer.id}`, () => {
        isRemoved = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderOwnership(control, viewer);

    expect(screen.getByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.queryByLabelText("Owner")).not.toBeInTheDocument();
    expect(screen.getByText("Watched by vic")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Unwatch" }));
    await waitFor(() => expect(isRemoved).toBe(true));
  });
});
