import { readFile } from "node:fs/promises";
import { EvidencePackListSchema, type Catalog, type Control } from "@status/shared";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import { uniqueSuffix, type TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

const DAY_MS = 86_400_000;

/**
 * Issue 17 through the SPA on the real API and worker: a developer opens "Export for auditors" from the catalog page,
 * builds an evidence pack of the last 30 days, watches it finish and downloads the ZIP; previews the period report;
 * and decides a requirement in the framework's Statement of Applicability.
 */
describe("developer: export for auditors", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let developer: TestUser;
  let catalog: Catalog;
  let control: Control;
  let frameworkId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    developer = await signInAs(app, "DEVELOPER");
    ({ catalog, control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" }));
    // Two whole days before today's midnight (UTC): inside the default period, the last 30 days.
    const to = Date.parse(new Date().toISOString().slice(0, 10));
    const range = { from: new Date(to - 2 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id, range)).batch.id);
    const imported = await request(app, "POST", "/api/v1/frameworks/import", {
      token: developer.token,
      body: {
        format: "csv",
        name: `ISO 27001 ${uniqueSuffix()}`,
        version: "2022",
        content: "id,title,group\nA.8.32,Change management,A.8\n",
      },
    });
    frameworkId = (imported.body.framework as { id: string }).id;
    const requirements = await request(app, "GET", `/api/v1/frameworks/${frameworkId}/requirements`, {
      token: developer.token,
    });
    await request(app, "POST", `/api/v1/controls/${control.id}/requirements`, {
      token: developer.token,
      body: { requirementId: requirements.body.items[0].id, relationship: "equivalent-to" },
    });
    page = await openPage(browser, app);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("builds a pack from the catalog page, watches it finish and downloads the ZIP", async () => {
    const snap = screenshots(page, "auditors");
    await logInThroughForm(page, developer.username, developer.password, snap);
    await page.goto(`/catalogs/${catalog.id}`);
    await page.getByRole("link", { name: "Export for auditors" }).click();
    await page.getByRole("heading", { level: 1, name: "Export for auditors" }).waitFor();
    await page.getByText("No evidence packs yet").waitFor();

    await page.getByRole("button", { name: "Build an evidence pack" }).click();
    await page.getByRole("progressbar", { name: "Evidence pack progress" }).waitFor();
    await page.getByText("The evidence pack is ready").waitFor({ timeout: 60_000 });
    await snap("pack-ready");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /^Download the evidence pack/ }).click(),
    ]);
    const zip = await readFile(await download.path());
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");

    // The list shows the finished pack with the digests the API recorded.
    const listed = EvidencePackListSchema.parse(
      (await request(app, "GET", `/api/v1/catalogs/${catalog.id}/evidence-packs`, { token: developer.token })).body,
    ).items;
    expect(listed).toHaveLength(1);
    const packs = page.getByRole("table", { name: "Evidence packs" });
    await packs.getByText(`${listed[0]!.sha256!.slice(0, 12)}…`).waitFor();
    await packs.getByText(`${listed[0]!.manifestSha256!.slice(0, 12)}…`).waitFor();
    expect(zip.length).toBe(listed[0]!.sizeBytes);
    await snap("pack-listed");
  });

  it("previews the period report in its frame", async () => {
    await page.goto(`/catalogs/${catalog.id}/auditors`);
    await page.getByRole("button", { name: "Preview the report" }).click();
    const report = page.frameLocator('iframe[title="Period report preview"]');
    await report.getByText(catalog.name).first().waitFor({ timeout: 30_000 });
    await report.getByText(control.name).first().waitFor();
  });

  it("decides a requirement in the Statement of Applicability", async () => {
    await page.goto(`/frameworks/${frameworkId}`);
    await page.getByRole("link", { name: "Statement of Applicability" }).click();
    const table = page.getByRole("table", { name: "Statement of Applicability" });
    // The controls show in their column from 1024 px, under the requirement below: the visible copy.
    await table.getByText(control.name).filter({ visible: true }).first().waitFor();
    const form = page.getByRole("form", { name: "Applicability of A.8.32" });
    await form.getByRole("checkbox", { name: "Applicable" }).uncheck();
    await form.getByRole("button", { name: "Save A.8.32" }).click();
    await form.getByText("Say why").waitFor();
    await form.getByRole("textbox", { name: "Justification for A.8.32" }).fill("Changes are outsourced");
    await form.getByRole("button", { name: "Save A.8.32" }).click();
    await table.getByText(/^Decided /).waitFor();

    const soa = await request(app, "GET", `/api/v1/frameworks/${frameworkId}/statement-of-applicability`, {
      token: developer.token,
    });
    expect(soa.body.rows[0]).toMatchObject({ isApplicable: false, justification: "Changes are outsourced" });
  });
});
