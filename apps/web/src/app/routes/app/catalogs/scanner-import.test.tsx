// @vitest-environment jsdom
import type { EvidenceImportResult, ImportedControl } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildCatalog, buildControl, buildMe, buildPage } from "@/testing/factories.ts";
import { controlStatesHandler, mashupsHandler, problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const catalog = buildCatalog({ name: "Cloud baseline", status: "finalized" });
const identity = buildControl({ catalogId: catalog.id, name: "Identity", kind: "push", mashupId: null });
const storage = buildControl({ catalogId: catalog.id, name: "Storage", kind: "push", mashupId: null });
const reviews = buildControl({ catalogId: catalog.id, name: "Reviews", kind: "mashup" });

function mapped(control: { id: string; name: string }, counts: ImportedControl["counts"]): ImportedControl {
  const applicable = counts.pass + counts.fail + counts.error;
  return {
    controlId: control.id,
    controlName: control.name,
    isPush: true,
    counts,
    passRatio: applicable ? (counts.pass / applicable) * 100 : null,
    isAllPass: applicable > 0 && counts.pass === applicable,
    results: [],
  };
}

function result(overrides: Partial<EvidenceImportResult>): EvidenceImportResult {
  return {
    format: "ocsf",
    digest: "a".repeat(64),
    tool: "Prowler",
    resultCount: 4,
    isDryRun: true,
    controls: [],
    unmapped: [],
    submissions: [],
    ...overrides,
  };
}

function setUp() {
  const imports: { url: URL; contentType: string | null; body: string }[] = [];
  const mappings: unknown[] = [];
  server.use(
    mashupsHandler(),
    controlStatesHandler(catalog.id),
    http.get(`/api/v1/catalogs/${catalog.id}`, () => HttpResponse.json(catalog)),
    http.get(`/api/v1/catalogs/${catalog.id}/registry`, () =>
      HttpResponse.json({
        catalogId: catalog.id,
        agreementId: `tpa-${catalog.id}`,
        state: "not_configured",
        lastError: null,
        attempts: 0,
        nextAttemptAt: null,
        publishedAt: null,
        publishedHash: null,
        lastSyncedAt: null,
        lastSyncError: null,
      }),
    ),
    http.get(`/api/v1/catalogs/${catalog.id}/controls`, () =>
      HttpResponse.json(buildPage([identity, reviews, storage])),
    ),
    http.post(`/api/v1/catalogs/${catalog.id}/evidence-mappings`, async ({ request }) => {
      const body = (await request.json()) as { pattern: string; format: string; controlId: string };
      mappings.push(body);
      return HttpResponse.json(
        {
          id: "7d1c3c5e-9a84-4a59-8d4b-1e6f0b0a2c11",
          catalogId: catalog.id,
          ...body,
          controlName: "Storage",
          createdAt: "2026-11-06T12:00:00Z",
          updatedAt: "2026-11-06T12:00:00Z",
        },
        { status: 201 },
      );
    }),
  );
  return { imports, mappings };
}

async function openDialog() {
  const { user } = renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "DEVELOPER" }) });
  await user.click(await screen.findByRole("button", { name: "Import scanner results" }));
  return { user, dialog: await screen.findByRole("dialog", { name: "Import scanner results" }) };
}

describe("catalog page: import scanner results", () => {
  it("previews the mapping, maps an unmapped rule id to a push control, then imports and shows the result", async () => {
    const { imports, mappings } = setUp();
    let isMapped = false;
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/evidence/import`, async ({ request }) => {
        const url = new URL(request.url);
        imports.push({ url, contentType: request.headers.get("content-type"), body: await request.text() });
        const controls = [mapped(identity, { pass: 1, fail: 0, skip: 0, error: 0 })];
        if (isMapped) controls.push(mapped(storage, { pass: 1, fail: 1, skip: 0, error: 0 }));
        const unmapped = isMapped
          ? []
          : [{ ruleId: "s3_bucket_default_encryption", title: "S3 default encryption", count: 2 }];
        if (url.searchParams.get("dryRun") === "true") return HttpResponse.json(result({ controls, unmapped }));
        return HttpResponse.json(
          result({
            isDryRun: false,
            controls,
            submissions: controls.map((control, index) => ({
              controlId: control.controlId,
              computationId: `0b7f7a1e-3c2d-4e5f-8a9b-00000000000${index}`,
              status: "accepted",
              windowFrom: "2026-11-06T00:00:00Z",
              windowTo: "2026-11-07T00:00:00Z",
            })),
          }),
        );
      }),
      http.post(`/api/v1/catalogs/${catalog.id}/evidence-mappings`, async () => {
        isMapped = true;
        return undefined;
      }),
    );
    const { user, dialog } = await openDialog();

    const file = '[{"metadata":{"event_code":"iam_root_mfa_enabled"},"status_code":"PASS"}]';
    await user.upload(
      within(dialog).getByLabelText("Scanner file"),
      new File([file], "prowler.ocsf.json", { type: "application/json" }),
    );

    expect(
      await within(dialog).findByText(/4 results from Prowler: 1 control mapped, 1 rule id unmapped/),
    ).toBeVisible();
    expect(imports[0]!.url.searchParams.get("format")).toBe("ocsf");
    expect(imports[0]!.url.searchParams.get("dryRun")).toBe("true");
    expect(imports[0]!.contentType).toContain("application/json");
    expect(imports[0]!.body).toBe(file);
    const table = within(dialog).getByRole("table", { name: "Mapped per control" });
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent(/Identity.*1.*0.*0.*0.*100 %.*all pass/);

    const unmapped = within(dialog).getByRole("region", { name: "Unmapped rule ids" });
    const choice = within(unmapped).getByLabelText("Control for s3_bucket_default_encryption");
    // Only push controls are offered: a mashup control takes no imported evidence.
    expect(within(choice).queryByRole("option", { name: "Reviews" })).toBeNull();
    await user.selectOptions(choice, storage.id);
    await user.click(within(unmapped).getByRole("button", { name: "Map s3_bucket_default_encryption" }));

    await waitFor(() =>
      expect(mappings).toEqual([{ pattern: "s3_bucket_default_encryption", format: "ocsf", controlId: storage.id }]),
    );
    expect(await within(dialog).findByText(/2 controls mapped, 0 rule ids unmapped/)).toBeVisible();

    await user.click(within(dialog).getByRole("button", { name: "Import into 2 controls" }));
    const submissions = await within(dialog).findByRole("list", { name: "Submissions" });
    expect(submissions).toHaveTextContent("Identity: accepted");
    expect(submissions).toHaveTextContent("Storage: accepted");
    expect(imports.at(-1)!.url.searchParams.get("dryRun")).toBe("false");
  });

  it("sends a YAML PolicyReport as YAML, and shows the server's reason for a file it cannot read", async () => {
    const { imports } = setUp();
    server.use(
      http.post(`/api/v1/catalogs/${catalog.id}/evidence/import`, async ({ request }) => {
        imports.push({
          url: new URL(request.url),
          contentType: request.headers.get("content-type"),
          body: await request.text(),
        });
        return problemResponse({
          status: 400,
          code: "import_format_invalid",
          title: "Scanner file not readable",
          detail: "Not a valid PolicyReport file: the file holds no report",
        });
      }),
    );
    const { user, dialog } = await openDialog();
    await user.selectOptions(within(dialog).getByLabelText("Format"), "policyreport");
    await user.upload(
      within(dialog).getByLabelText("Scanner file"),
      new File(["kind: Deployment\n"], "report.yaml", { type: "application/yaml" }),
    );

    expect(await within(dialog).findByText(/the file holds no report/)).toBeVisible();
    expect(imports[0]!.url.searchParams.get("format")).toBe("policyreport");
    expect(imports[0]!.contentType).toContain("application/yaml");
    expect(within(dialog).queryByRole("button", { name: /Import into/ })).toBeNull();
  });

  it("does not offer the import to a USER", async () => {
    setUp();
    renderApp(`/catalogs/${catalog.id}`, { me: buildMe({ role: "USER" }) });
    expect(await screen.findByRole("heading", { level: 1, name: "Cloud baseline" })).toBeVisible();
    expect(screen.queryByRole("button", { name: "Import scanner results" })).toBeNull();
  });
});
