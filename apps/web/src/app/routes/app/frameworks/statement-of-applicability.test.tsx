// @vitest-environment jsdom
import type { SetApplicabilityBody, SoaRow, StatementOfApplicability } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildSoaRow, buildStatementOfApplicability } from "@/testing/assessment-factories.ts";
import { buildMe, nextId } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function soaHandlers(statement: StatementOfApplicability) {
  const puts: { requirementId: string; body: SetApplicabilityBody }[] = [];
  server.use(
    http.get(`/api/v1/frameworks/${statement.frameworkId}/statement-of-applicability`, () =>
      HttpResponse.json(statement),
    ),
    http.put("/api/v1/requirements/:id/applicability", async ({ params, request }) => {
      const body = (await request.json()) as SetApplicabilityBody;
      const requirementId = String(params.id);
      puts.push({ requirementId, body });
      const row = statement.rows.find((candidate) => candidate.requirementId === requirementId) as SoaRow;
      return HttpResponse.json({ ...row, ...body, decidedAt: "2026-11-15T10:00:00Z" });
    }),
  );
  return puts;
}

function rowOf(key: string): HTMLElement {
  const table = screen.getByRole("table", { name: "Statement of Applicability" });
  const row = within(table)
    .getAllByRole("row")
    .find((candidate) => candidate.textContent?.includes(key));
  if (!row) throw new Error(`No row for ${key}`);
  return row;
}

const mapped = buildSoaRow({
  requirementKey: "A.8.32",
  title: "Change management",
  groupKey: "A.8",
  isApplicable: true,
  justification: "We ship software weekly",
  decidedAt: "2026-10-01T09:00:00Z",
  controls: [
    {
      controlId: nextId(),
      controlName: "Branches are protected",
      catalogName: "Engineering",
      relationship: "equivalent-to",
      state: "fail",
      lastEvaluatedAt: "2026-11-14T00:00:00Z",
    },
  ],
});
const physical = buildSoaRow({ requirementKey: "A.7.4", title: "Physical security monitoring", groupKey: "A.7" });

describe("statement of applicability", () => {
  it("shows every requirement with its decision, the mapped controls' state and last evaluation, and the exports", async () => {
    const statement = buildStatementOfApplicability({ rows: [mapped, physical] });
    soaHandlers(statement);
    renderApp(`/frameworks/${statement.frameworkId}/statement-of-applicability`, { me: buildMe({ role: "USER" }) });

    expect(await screen.findByRole("heading", { level: 1, name: "Statement of Applicability" })).toBeInTheDocument();
    expect(screen.getByText("ISO/IEC 27001 2022 · 2 of 2 requirements applicable")).toBeInTheDocument();
    const row = rowOf("A.8.32");
    expect(row).toHaveTextContent(/A\.8 · A\.8\.32.*Change management.*Decided/);
    expect(row).toHaveTextContent(/Applicable.*We ship software weekly/);
    expect(within(row).getAllByText("Branches are protected")[0]).toBeInTheDocument();
    expect(row).toHaveTextContent(/Failing.*Engineering · equivalent-to · last evaluated Nov 14, 2026/);
    expect(rowOf("A.7.4")).toHaveTextContent(/Not decided yet.*No justification yet.*No mapped controls/);
    for (const format of ["xlsx", "csv", "json"]) {
      expect(screen.getByRole("link", { name: `Export ${format.toUpperCase()}` })).toHaveAttribute(
        "href",
        `/api/v1/frameworks/${statement.frameworkId}/statement-of-applicability?format=${format}`,
      );
    }
  });

  it("lets a USER read the decisions but not edit them", async () => {
    const statement = buildStatementOfApplicability({ rows: [mapped] });
    soaHandlers(statement);
    renderApp(`/frameworks/${statement.frameworkId}/statement-of-applicability`, { me: buildMe({ role: "USER" }) });

    await screen.findByRole("table", { name: "Statement of Applicability" });
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });

  it("saves a decision edited in its row, and refuses an empty justification", async () => {
    const statement = buildStatementOfApplicability({ rows: [mapped, physical] });
    const puts = soaHandlers(statement);
    const { user } = renderApp(`/frameworks/${statement.frameworkId}/statement-of-applicability`, {
      me: buildMe({ role: "DEVELOPER" }),
    });

    await screen.findByRole("table", { name: "Statement of Applicability" });
    const row = rowOf("A.7.4");
    expect(within(row).queryByRole("button", { name: /Save/ })).not.toBeInTheDocument();
    await user.click(within(row).getByRole("checkbox", { name: "Applicable" }));
    await user.click(within(row).getByRole("button", { name: "Save A.7.4" }));

    expect(await within(row).findByText("Say why")).toBeInTheDocument();
    expect(within(row).getByRole("textbox", { name: "Justification for A.7.4" })).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    expect(puts).toEqual([]);

    await user.type(within(row).getByRole("textbox", { name: "Justification for A.7.4" }), "No offices of our own");
    await user.click(within(row).getByRole("button", { name: "Save A.7.4" }));

    await waitFor(() =>
      expect(puts).toEqual([
        {
          requirementId: physical.requirementId,
          body: { isApplicable: false, justification: "No offices of our own" },
        },
      ]),
    );
    await waitFor(() => expect(rowOf("A.7.4")).toHaveTextContent("Decided"));
    expect(within(rowOf("A.7.4")).queryByRole("button", { name: /Save/ })).not.toBeInTheDocument();
    expect(screen.getByText("ISO/IEC 27001 2022 · 1 of 2 requirements applicable")).toBeInTheDocument();
  });

  it("puts the API's objection on the justification", async () => {
    const statement = buildStatementOfApplicability({ rows: [physical] });
    soaHandlers(statement);
    server.use(
      http.put(`/api/v1/requirements/${physical.requirementId}/applicability`, () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          detail: "1 field is invalid",
          errors: [{ path: "body.justification", message: "Too long" }],
        }),
      ),
    );
    const { user } = renderApp(`/frameworks/${statement.frameworkId}/statement-of-applicability`, {
      me: buildMe({ role: "ADMIN" }),
    });

    const textbox = await screen.findByRole("textbox", { name: "Justification for A.7.4" });
    await user.type(textbox, "Because");
    await user.click(screen.getByRole("button", { name: "Save A.7.4" }));

    expect(await screen.findByText("Too long")).toBeInTheDocument();
  });

  it("says the framework does not exist on 404", async () => {
    const frameworkId = nextId();
    server.use(
      http.get(`/api/v1/frameworks/${frameworkId}/statement-of-applicability`, () =>
        problemResponse({ status: 404, code: "not_found", title: "Not found" }),
      ),
    );
    renderApp(`/frameworks/${frameworkId}/statement-of-applicability`, { me: buildMe() });

    expect(await screen.findByRole("heading", { level: 1, name: "Framework not found" })).toBeInTheDocument();
  });
});
