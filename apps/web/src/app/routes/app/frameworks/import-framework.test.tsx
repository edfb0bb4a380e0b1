// @vitest-environment jsdom
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildMe, buildPage } from "@/testing/factories.ts";
import {
  buildFramework,
  buildFrameworkDetail,
  buildImportJob,
  buildImportPreview,
  buildImportResult,
} from "@/testing/framework-factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const CSV = "Control ID;Name;Text;Family\nCC8.1;Change management;Changes are authorised.;CC8\n";

function csvFile(content = CSV, name = "soc2.csv") {
  return new File([content], name, { type: "text/csv" });
}

/** Records the bodies and query strings of POST /frameworks/import and answers with `answer`. */
function importHandler(answer: (dryRun: boolean) => Response) {
  const calls: { dryRun: boolean; body: any }[] = [];
  server.use(
    http.post("/api/v1/frameworks/import", async ({ request }) => {
      const dryRun = new URL(request.url).searchParams.get("dryRun") === "true";
      calls.push({ dryRun, body: await request.json() });
      return answer(dryRun);
    }),
  );
  return calls;
}

describe("import a framework", () => {
  it("refuses a USER", async () => {
    renderApp("/frameworks/import", { me: buildMe({ role: "USER" }) });
    expect(await screen.findByText("You do not have access to this page")).toBeInTheDocument();
    expect(screen.queryByLabelText("File")).not.toBeInTheDocument();
  });

  it("maps a CSV's columns, previews with a dry run listing every bad row, and stores nothing", async () => {
    const calls = importHandler(() =>
      HttpResponse.json(
        buildImportPreview({
          canImport: false,
          problems: [
            { severity: "error", code: "missing_id", message: "No id", path: null, row: 3, column: "Control ID" },
            { severity: "error", code: "duplicate_id", message: "CC8.1 again", path: null, row: 5, column: null },
          ],
        }),
      ),
    );
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });

    await user.upload(await screen.findByLabelText("File"), csvFile());
    expect(await screen.findByText("CSV sheet")).toBeInTheDocument();
    // The form appears once the file is read (asynchronous; on a loaded machine after the upload resolves).
    await user.type(await screen.findByLabelText("Framework name"), "SOC 2");
    await user.type(screen.getByLabelText("Version"), "2017");
    await user.selectOptions(screen.getByLabelText("Id column"), "Control ID");
    await user.selectOptions(screen.getByLabelText("Title column"), "Name");
    await user.selectOptions(screen.getByLabelText("Description column"), "Text");
    await user.selectOptions(screen.getByLabelText("Group column"), "Family");
    await user.click(screen.getByRole("button", { name: "Preview import" }));

    const problems = await screen.findByRole("table", { name: "Problems" });
    expect(within(problems).getAllByRole("row")[1]).toHaveTextContent(/Error.*Row 3, column Control ID.*No id/);
    expect(within(problems).getAllByRole("row")[2]).toHaveTextContent(/Row 5.*CC8.1 again/);
    expect(screen.getByRole("button", { name: "Import 3 requirements" })).toBeDisabled();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      dryRun: true,
      body: {
        format: "csv",
        name: "SOC 2",
        version: "2017",
        content: CSV,
        columns: { id: "Control ID", title: "Name", description: "Text", group: "Family" },
      },
    });
  });

  it("guesses the default columns, shows the first rows, then imports and opens the framework", async () => {
    const stored = buildFramework({ name: "SOC 2", version: "2017", source: "csv" });
    const calls = importHandler((dryRun) =>
      dryRun ? HttpResponse.json(buildImportPreview()) : HttpResponse.json(buildImportResult(stored), { status: 201 }),
    );
    server.use(
      http.get(`/api/v1/frameworks/${stored.id}`, () => HttpResponse.json(buildFrameworkDetail({ ...stored }))),
      http.get(`/api/v1/frameworks/${stored.id}/requirements`, () =>
        HttpResponse.json({ ...buildPage([]), matchCount: 0 }),
      ),
      http.get(`/api/v1/frameworks/${stored.id}/compliance`, () =>
        HttpResponse.json({ error: "unused" }, { status: 500 }),
      ),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    const { user, router } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });

    await user.upload(
      await screen.findByLabelText("File"),
      csvFile("ID,Title,Description,Group\nCC8.1,Change,x,CC8\n"),
    );
    expect(await screen.findByLabelText("Id column")).toHaveValue("ID");
    // The form appears once the file is read (asynchronous; on a loaded machine after the upload resolves).
    await user.type(await screen.findByLabelText("Framework name"), "SOC 2");
    await user.type(screen.getByLabelText("Version"), "2017");
    await user.click(screen.getByRole("button", { name: "Preview import" }));

    const firstRows = await screen.findByRole("table", { name: "First requirements" });
    expect(within(firstRows).getAllByRole("row")[1]).toHaveTextContent(/CC8.1.*Change management.*CC8/);
    expect(screen.getByText("No problems found.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Import 3 requirements" }));

    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/frameworks/${stored.id}`));
    expect(calls.map((call) => call.dryRun)).toEqual([true, false]);
    // Default columns are left to the API rather than spelled out.
    expect(calls[1]!.body.columns).toEqual({ id: "ID", title: "Title", description: "Description", group: "Group" });
  });

  it("lists every schema error of invalid OSCAL with its JSON path", async () => {
    importHandler(() =>
      problemResponse({
        status: 422,
        code: "oscal_invalid",
        title: "Invalid OSCAL",
        detail: "2 schema errors",
        errors: [
          { path: "$.catalog.uuid", message: "Required" },
          { path: "$.catalog.controls[0].id", message: "Must match the token pattern" },
        ],
      }),
    );
    const document = { catalog: { metadata: { title: "Bad", "oscal-version": "1.1.2" } } };
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });

    await user.upload(
      await screen.findByLabelText("File"),
      new File([JSON.stringify(document)], "bad.json", { type: "application/json" }),
    );
    expect(await screen.findByText("OSCAL catalog")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Preview import" }));

    const issues = await screen.findByRole("list", { name: "Issues" });
    expect(
      within(issues)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["$.catalog.uuid: Required", "$.catalog.controls[0].id: Must match the token pattern"]);
  });

  it("asks which framework a profile resolves against and sends it", async () => {
    const catalog = buildFramework({ name: "NIST SP 800-53", version: "5.1.1" });
    server.use(http.get("/api/v1/frameworks", () => HttpResponse.json(buildPage([catalog]))));
    const calls = importHandler(() => HttpResponse.json(buildImportPreview()));
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });

    await user.upload(
      await screen.findByLabelText("File"),
      new File([JSON.stringify({ profile: { uuid: "x" } })], "low.json", { type: "application/json" }),
    );
    await user.click(await screen.findByRole("button", { name: "Preview import" }));
    expect(await screen.findByText("Required")).toBeInTheDocument();
    expect(calls).toHaveLength(0);

    await user.selectOptions(screen.getByLabelText("Resolve against"), "NIST SP 800-53 5.1.1");
    await user.click(screen.getByRole("button", { name: "Preview import" }));
    await screen.findByRole("region", { name: "Import preview" });
    expect(calls[0]!.body).toEqual({
      format: "oscal-profile",
      document: { profile: { uuid: "x" } },
      frameworkId: catalog.id,
    });
  });

  it("shows progress while a dry run is on its way and on the server", async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    importHandler(() => HttpResponse.json(buildImportPreview()));
    server.use(
      http.post("/api/v1/frameworks/import", async () => {
        await answered;
        return HttpResponse.json(buildImportPreview());
      }),
    );
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });
    await user.upload(await screen.findByLabelText("File"), csvFile());
    // The form appears once the file is read (asynchronous; on a loaded machine after the upload resolves).
    await user.type(await screen.findByLabelText("Framework name"), "SOC 2");
    await user.type(screen.getByLabelText("Version"), "2017");
    await user.click(screen.getByRole("button", { name: "Preview import" }));

    expect(await screen.findByRole("progressbar", { name: "Upload" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Preview import" })).toBeDisabled();
    release();
    await screen.findByRole("region", { name: "Import preview" });
    expect(screen.queryByRole("progressbar", { name: "Upload" })).not.toBeInTheDocument();
  });

  it("follows a large import's job: a progress bar of requirements stored, then the framework", async () => {
    const stored = buildFramework({ name: "NIST LOW", version: "5.1.1", source: "oscal-catalog" });
    const running = buildImportJob({ processed: 0, total: null });
    const states = [
      buildImportJob({ ...running, processed: 40, total: 149 }),
      buildImportJob({
        ...running,
        status: "succeeded",
        processed: 149,
        total: 149,
        result: buildImportResult(stored),
        finishedAt: "2026-12-01T10:00:05.000Z",
      }),
    ];
    let polls = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    importHandler((dryRun) =>
      dryRun
        ? HttpResponse.json(buildImportPreview())
        : HttpResponse.json(running, {
            status: 202,
            headers: { location: `/api/v1/frameworks/import/jobs/${running.id}` },
          }),
    );
    server.use(
      http.get(`/api/v1/frameworks/import/jobs/${running.id}`, async () => {
        polls += 1;
        // The second answer (done) waits until the test has seen the job mid-way.
        if (polls > 1) await held;
        return HttpResponse.json(states[Math.min(polls, states.length) - 1]);
      }),
      http.get(`/api/v1/frameworks/${stored.id}`, () => HttpResponse.json(buildFrameworkDetail({ ...stored }))),
      http.get(`/api/v1/frameworks/${stored.id}/requirements`, () =>
        HttpResponse.json({ ...buildPage([]), matchCount: 0 }),
      ),
      http.get(`/api/v1/frameworks/${stored.id}/compliance`, () =>
        HttpResponse.json({ error: "unused" }, { status: 500 }),
      ),
      http.get("/api/v1/catalogs", () => HttpResponse.json(buildPage([]))),
    );
    const document = { catalog: { uuid: "x", metadata: { title: "NIST LOW", "oscal-version": "1.1.2" } } };
    const { user, router } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });
    await user.upload(
      await screen.findByLabelText("File"),
      new File([JSON.stringify(document)], "low.json", { type: "application/json" }),
    );
    await user.click(await screen.findByRole("button", { name: "Preview import" }));
    await user.click(await screen.findByRole("button", { name: "Import 3 requirements" }));

    const bar = await screen.findByRole("progressbar", { name: "Import job" }, { timeout: 3_000 });
    await waitFor(() => expect(bar).toHaveAttribute("aria-valuenow", "27"), { timeout: 3_000 });
    expect(bar).toHaveAttribute("aria-valuetext", "40 of 149 requirements stored");
    release();
    await waitFor(() => expect(currentUrl(router).pathname).toBe(`/frameworks/${stored.id}`), { timeout: 3_000 });
  });

  it("shows a failed job's problem with its JSON paths", async () => {
    const failed = buildImportJob({
      status: "failed",
      problem: {
        type: "https://status.example/problems/oscal_invalid",
        title: "Invalid OSCAL",
        status: 422,
        detail: "1 schema error",
        code: "oscal_invalid",
        errors: [{ path: "$.catalog.uuid", message: "Required" }],
      },
      finishedAt: "2026-12-01T10:00:05.000Z",
    });
    importHandler((dryRun) =>
      dryRun ? HttpResponse.json(buildImportPreview()) : HttpResponse.json(failed, { status: 202 }),
    );
    const document = { catalog: { uuid: "x", metadata: { title: "NIST LOW", "oscal-version": "1.1.2" } } };
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });
    await user.upload(
      await screen.findByLabelText("File"),
      new File([JSON.stringify(document)], "low.json", { type: "application/json" }),
    );
    await user.click(await screen.findByRole("button", { name: "Preview import" }));
    await user.click(await screen.findByRole("button", { name: "Import 3 requirements" }));

    expect(await screen.findByText("The import was refused")).toBeInTheDocument();
    expect(screen.getByText("1 schema error")).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Issues" })).getByRole("listitem")).toHaveTextContent(
      "$.catalog.uuid: Required",
    );
  });

  it("refuses a file that is neither OSCAL nor a sheet before uploading anything", async () => {
    const { user } = renderApp("/frameworks/import", { me: buildMe({ role: "DEVELOPER" }) });
    await user.upload(
      await screen.findByLabelText("File"),
      new File([JSON.stringify({ hello: 1 })], "other.json", { type: "application/json" }),
    );
    expect(await screen.findByText(/neither an OSCAL catalog nor an OSCAL profile/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Preview import" })).not.toBeInTheDocument();
  });
});
