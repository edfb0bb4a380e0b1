// @vitest-environment jsdom
import type { PointException } from "@status/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { formatDate } from "@/lib/format.ts";
import { queryConfig } from "@/lib/query-client.ts";
import { buildPage, buildPoint, nextId } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { server } from "@/testing/server.ts";
import { ControlFailures } from "./control-failures.tsx";

const ADA = { id: nextId(), username: "ada", displayName: "Ada Lovelace", role: "ADMIN" as const };
const VIC = { id: nextId(), username: "vic", displayName: null, role: "USER" as const };

function buildException(controlId: string, pointId: string, overrides: Partial<PointException> = {}): PointException {
  return {
    id: nextId(),
    pointId,
    controlId,
    windowStart: "2026-11-01T00:00:00Z",
    windowEnd: "2026-11-02T00:00:00Z",
    scope: {},
    justification: "Backups move to the new target",
    approverId: ADA.id,
    approverName: "ada",
    expiresAt: "2027-01-31T00:00:00Z",
    createdBy: ADA.id,
    createdByName: "ada",
    createdAt: "2026-11-03T10:00:00Z",
    revokedAt: null,
    revokedByName: null,
    revokeReason: null,
    status: "active",
    ...overrides,
  };
}

/** Renders the section on a fresh query client, against the MSW server. */
function renderFailures(controlId: string, canHandle: boolean) {
  const queryClient = new QueryClient({
    defaultOptions: { ...queryConfig, queries: { ...queryConfig.queries, retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <ControlFailures controlId={controlId} canHandle={canHandle} timeZone="UTC" />
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

function setUp(options: { canHandle: boolean; exceptions?: PointException[] }) {
  const controlId = nextId();
  const point = buildPoint({
    controlId,
    result: "fail",
    scope: { team: "payments" },
    windowStart: "2026-11-01T00:00:00Z",
    windowEnd: "2026-11-02T00:00:00Z",
  });
  const requests = { pointQueries: [] as URLSearchParams[], bodies: [] as { path: string; body: unknown }[] };
  const record = async (request: Request) => {
    const text = await request.text();
    requests.bodies.push({ path: new URL(request.url).pathname, body: text ? JSON.parse(text) : null });
  };
  server.use(
    http.get("/api/v1/points", ({ request }) => {
      requests.pointQueries.push(new URL(request.url).searchParams);
      return HttpResponse.json(buildPage([point]));
    }),
    http.get(`/api/v1/controls/${controlId}/exceptions`, () => HttpResponse.json({ items: options.exceptions ?? [] })),
    http.get("/api/v1/people", () => HttpResponse.json({ items: [ADA, VIC] })),
    http.get(`/api/v1/points/${point.id}/comments`, () =>
      HttpResponse.json({
        items: [
          {
            id: nextId(),
            pointId: point.id,
            controlId,
            body: "Backup target was full",
            authorId: ADA.id,
            authorName: "ada",
            createdAt: "2026-11-02T09:00:00Z",
          },
        ],
      }),
    ),
    http.post(`/api/v1/points/${point.id}/comments`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(
        {
          id: nextId(),
          pointId: point.id,
          controlId,
          body: "x",
          authorId: ADA.id,
          authorName: "ada",
          createdAt: "2026-11-03T09:00:00Z",
        },
        { status: 201 },
      );
    }),
    http.post(`/api/v1/points/${point.id}/acknowledge`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(
        {
          pointId: point.id,
          controlId,
          acknowledgedBy: ADA.id,
          acknowledgedByName: "ada",
          acknowledgedAt: "2026-11-03T09:00:00Z",
        },
        { status: 201 },
      );
    }),
    http.post(`/api/v1/controls/${controlId}/exceptions`, async ({ request }) => {
      await record(request);
      return problemResponse({
        status: 409,
        code: "exception_active",
        title: "Conflict",
        detail: "The point has an active exception until 2027-01-31T00:00:00.000Z",
      });
    }),
  );
  return { controlId, point, requests, user: renderFailures(controlId, options.canHandle) };
}

describe("failures and their handling on the control page", () => {
  it("lists the failing points and opens a Handle panel: comment, acknowledge, record an exception", async () => {
    const { controlId, point, requests, user } = setUp({ canHandle: true });

    const table = await screen.findByRole("table", { name: "Failing points" });
    expect(within(table).getByText("team: payments")).toBeInTheDocument();
    expect(requests.pointQueries[0]?.get("result")).toBe("fail");
    expect(requests.pointQueries[0]?.get("controlId")).toBe(controlId);

    await user.click(within(table).getByRole("button", { name: /^Handle / }));
    const panel = await screen.findByRole("region", { name: /^Handling of / });
    expect(await within(panel).findByText("Backup target was full")).toBeInTheDocument();

    await user.type(within(panel).getByLabelText("Comment"), "Re-running after the cleanup");
    await user.click(within(panel).getByRole("button", { name: "Add comment" }));
    await waitFor(() =>
      expect(requests.bodies).toContainEqual({
        path: `/api/v1/points/${point.id}/comments`,
        body: { body: "Re-running after the cleanup" },
      }),
    );

    await user.click(within(panel).getByRole("button", { name: "Acknowledge" }));
    await waitFor(() =>
      expect(requests.bodies.map((item) => item.path)).toContain(`/api/v1/points/${point.id}/acknowledge`),
    );

    // Only officers (DEVELOPER, ADMIN) can approve: the USER is not offered.
    const approver = within(panel).getByLabelText("Approver");
    expect(within(approver).queryByRole("option", { name: "vic" })).not.toBeInTheDocument();
    await user.type(within(panel).getByLabelText("Justification"), "Accepted until the migration ends");
    await user.selectOptions(approver, "Ada Lovelace");
    await user.type(within(panel).getByLabelText("Expires on"), "2027-01-31");
    await user.click(within(panel).getByRole("button", { name: "Record exception" }));
    await waitFor(() =>
      expect(requests.bodies).toContainEqual({
        path: `/api/v1/controls/${controlId}/exceptions`,
        body: {
          pointId: point.id,
          justification: "Accepted until the migration ends",
          approverId: ADA.id,
          expiresAt: "2027-01-31T00:00:00+00:00",
        },
      }),
    );
    expect(await within(panel).findByRole("alert")).toHaveTextContent("active exception until");
  });

  it("shows an accepted exception until its expiry, and offers a reader no way to change the handling", async () => {
    const controlId = nextId();
    const point = buildPoint({
      controlId,
      result: "fail",
      handling: {
        acknowledged: { byName: "ada", at: "2026-11-02T10:00:00Z" },
        exception: { id: nextId(), expiresAt: "2027-01-31T00:00:00Z", approverName: "ada", isActive: true },
        commentCount: 2,
      },
    });
    server.use(
      http.get("/api/v1/points", () => HttpResponse.json(buildPage([point]))),
      http.get(`/api/v1/controls/${controlId}/exceptions`, () =>
        HttpResponse.json({ items: [buildException(controlId, point.id)] }),
      ),
      http.get(`/api/v1/points/${point.id}/comments`, () => HttpResponse.json({ items: [] })),
    );
    const user = renderFailures(controlId, false);

    const table = await screen.findByRole("table", { name: "Failing points" });
    const until = formatDate("2027-01-31T00:00:00Z", "UTC");
    expect(within(table).getByText(`Accepted exception until ${until}`)).toBeInTheDocument();
    expect(within(table).getByText("Acknowledged")).toBeInTheDocument();
    expect(within(table).getByText("2 comments")).toBeInTheDocument();
    const exceptions = await screen.findByRole("table", { name: "Exceptions" });
    expect(within(exceptions).getByText("Backups move to the new target")).toBeInTheDocument();
    expect(within(exceptions).getByText("active")).toBeInTheDocument();
    expect(within(exceptions).queryByRole("button", { name: "Revoke" })).not.toBeInTheDocument();

    await user.click(within(table).getByRole("button", { name: /^Handle / }));
    const panel = await screen.findByRole("region", { name: /^Handling of / });
    expect(within(panel).getByText(/Acknowledged by ada/)).toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: "Add comment" })).not.toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: "Record exception" })).not.toBeInTheDocument();
  });

  it("revokes an active exception with a reason", async () => {
    const { controlId, point } = { controlId: nextId(), point: buildPoint({ result: "fail" }) };
    const exception = buildException(controlId, point.id);
    let revokeBody: unknown;
    server.use(
      http.get("/api/v1/points", () => HttpResponse.json(buildPage([]))),
      http.get(`/api/v1/controls/${controlId}/exceptions`, () => HttpResponse.json({ items: [exception] })),
      http.post(`/api/v1/controls/${controlId}/exceptions/${exception.id}/revoke`, async ({ request }) => {
        revokeBody = await request.json();
        return HttpResponse.json({ ...exception, status: "revoked", revokedAt: "2026-11-04T00:00:00Z" });
      }),
    );
    const user = renderFailures(controlId, true);

    expect(await screen.findByText("No recorded window of this control failed.")).toBeInTheDocument();
    const exceptions = await screen.findByRole("table", { name: "Exceptions" });
    await user.click(within(exceptions).getByRole("button", { name: "Revoke" }));
    await user.type(within(exceptions).getByLabelText("Reason"), "The migration finished");
    await user.click(within(exceptions).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(revokeBody).toEqual({ reason: "The migration finished" }));
  });
});
