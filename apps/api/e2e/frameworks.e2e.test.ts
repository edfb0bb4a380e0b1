import type { Control } from "@status/shared";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import { uniqueSuffix, type TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

const DAY_MS = 86_400_000;

/**
 * Issue 16 through the SPA on the real API: a developer imports a framework from a CSV sheet (dry-run preview first),
 * maps a passing and a failing control (evaluated by the real engine on Node-RED) to two of its requirements from the
 * control page, and reads the roll-up: one requirement satisfied, one not, the third not assessed.
 */
describe("developer: frameworks (import, mapping, roll-up, library)", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let developer: TestUser;
  let passing: Control;
  let failing: Control;
  // Two whole days ending at today's midnight (UTC), evaluated before the browser starts.
  const to = Date.parse(new Date().toISOString().slice(0, 10)) - DAY_MS;
  const from = to - 2 * DAY_MS;

  async function evaluatedControl(mashupId: string) {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId, threshold: 80 });
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id, range)).batch.id);
    return control;
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    developer = await signInAs(app, "DEVELOPER");
    [passing, failing] = await Promise.all([evaluatedControl("test-pass"), evaluatedControl("test-fail")]);
    page = await openPage(browser, app);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function mapFromControlPage(control: Control, key: string) {
    await page.goto(`/catalogs/${control.catalogId}/controls/${control.id}`);
    const form = page.getByRole("form", { name: "Map a requirement" });
    await form.getByLabel("Search requirements").fill(key);
    await form.getByRole("radio", { name: new RegExp(`^${key.replace(".", "\\.")} `) }).check();
    await form.getByLabel("Relationship").selectOption("equivalent-to");
    await form.getByLabel("Rationale").fill("Checked by the end-to-end suite");
    await form.getByRole("button", { name: "Map requirement" }).click();
    await page.getByRole("table", { name: "Mapped requirements" }).getByText(key, { exact: true }).waitFor();
  }

  it("imports a CSV framework after its preview, maps two controls to it and shows the roll-up", async () => {
    const snap = screenshots(page, "frameworks");
    const name = `SOC 2 ${uniqueSuffix()}`;
    const csv = [
      "id,title,description,group",
      "CC6.1,Logical access,Access to data is restricted.,CC6",
      "CC7.1,Monitoring,Changes to configurations are detected.,CC7",
      "CC8.1,Change management,Changes are authorised.,CC8",
    ].join("\n");

    await logInThroughForm(page, developer.username, developer.password, snap);
    await page.getByRole("link", { name: "Frameworks", exact: true }).first().click();
    await page.getByRole("heading", { level: 1, name: "Frameworks" }).waitFor();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await snap("frameworks");

    await page.getByRole("link", { name: "Import framework" }).click();
    await page
      .getByLabel("File", { exact: true })
      .setInputFiles({ name: "soc2.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByLabel("Framework name").fill(name);
    await page.getByLabel("Version").fill("2017");
    await page.getByRole("button", { name: "Preview import" }).click();
    const preview = page.getByRole("region", { name: "Import preview" });
    await preview.getByText("No problems found.").waitFor();
    expect(await preview.getByRole("table", { name: "First requirements" }).getByRole("row").count()).toBe(4);
    await snap("import-preview");
    // The dry run stored nothing.
    const stored = await request(app, "GET", `/api/v1/frameworks?q=${encodeURIComponent(name)}`, {
      token: developer.token,
    });
    expect(stored.body.total).toBe(0);

    await page.getByRole("button", { name: "Import 3 requirements" }).click();
    await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: `${name} 2017` }).waitFor();
    const frameworkPath = new URL(page.url()).pathname;

    await mapFromControlPage(passing, "CC6.1");
    await snap("control-mapped");
    await mapFromControlPage(failing, "CC7.1");

    const fromDate = new Date(from).toISOString().slice(0, 10);
    const toDate = new Date(to - DAY_MS).toISOString().slice(0, 10);
    await page.goto(`${frameworkPath}?from=${fromDate}&to=${toDate}`);
    const bars = page.getByRole("list", { name: "Roll-up per group" });
    await bars.getByText("1 satisfied, 1 not satisfied, 1 not assessed of 3").waitFor();
    const tree = page.getByRole("list", { name: "Requirement tree" });
    await tree.getByRole("listitem", { name: "CC6.1 Logical access" }).getByText("Satisfied").waitFor();
    await tree.getByRole("listitem", { name: "CC7.1 Monitoring" }).getByText("Not satisfied").waitFor();
    await tree.getByRole("listitem", { name: "CC8.1 Change management" }).getByText("Not assessed").waitFor();
    await tree.getByRole("listitem", { name: "CC6.1 Logical access" }).locator("summary").click();
    await tree.getByRole("link", { name: passing.name }).waitFor();
    await snap("framework-roll-up");

    // Mappings out and back in: the exported mapping-collection, with one mapping removed since, imported from the
    // framework page after its dry run.
    const frameworkId = frameworkPath.split("/").at(-1)!;
    const exported = await request(app, "GET", `/api/v1/frameworks/${frameworkId}/mappings`, {
      token: developer.token,
    });
    expect(exported.status).toBe(200);
    const mapped = await request(app, "GET", `/api/v1/controls/${failing.id}/requirements`, { token: developer.token });
    const removed = await request(
      app,
      "DELETE",
      `/api/v1/controls/${failing.id}/requirements/${mapped.body.items[0].requirementId}`,
      { token: developer.token },
    );
    expect(removed.status).toBe(204);
    await page.getByRole("button", { name: "Import mappings" }).click();
    const dialog = page.getByRole("dialog", { name: "Import mappings" });
    await dialog.getByLabel("Mapping-collection file").setInputFiles({
      name: "mappings.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(exported.body)),
    });
    await dialog.getByText("mappings.json: 1 mapping to create, 1 mapping to update", { exact: false }).waitFor();
    await snap("mappings-preview");
    await dialog.getByRole("button", { name: "Import 2 mappings" }).click();
    await dialog.getByText("1 mapping created, 1 mapping updated.").waitFor();
    const restored = await request(app, "GET", `/api/v1/controls/${failing.id}/requirements`, {
      token: developer.token,
    });
    expect(restored.body.items.map((item: { requirementKey: string }) => item.requirementKey)).toEqual(["CC7.1"]);
  });

  it("installs the bundled NIST SP 800-53 LOW baseline in one click and opens its requirement tree", async () => {
    const snap = screenshots(page, "frameworks-library");
    const library = await request(app, "GET", "/api/v1/frameworks/library", { token: developer.token });
    const low = library.body.items.find((item: { name: string }) => item.name === "nist-800-53-rev5-low");

    // A page of its own, so this test does not depend on the one before.
    page = await openPage(browser, app);
    await logInThroughForm(page, developer.username, developer.password, snap);
    await page.goto("/frameworks");
    await page
      .getByRole("button", { name: /^(Install|Reinstall) / })
      .first()
      .click();
    await page.getByText(/^Installed: \d+ new, \d+ changed, \d+ unchanged requirements\.$/).waitFor();
    await snap("installed");
    await page.getByRole("link", { name: "Open", exact: true }).first().click();
    await page.waitForURL(/\/frameworks\/[0-9a-f-]{36}$/);
    await page.getByText(`${low.requirementCount} requirements in ${low.groupCount} groups`).waitFor();
    const tree = page.getByRole("list", { name: "Requirement tree" });
    await tree.getByRole("listitem", { name: /^AC-1 / }).waitFor();
    await page.getByLabel("Search requirements").fill("account management");
    await page
      .getByRole("status")
      .filter({ hasText: /^\d+ matching requirements?$/ })
      .waitFor();
    await tree.getByRole("listitem", { name: /^AC-2 Account Management$/ }).waitFor();
    await snap("low-baseline");
  });
});
