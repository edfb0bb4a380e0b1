import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScopeVia } from "../test/factories.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import { uniqueSuffix, type TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openCatalogsFromNav, openPage, screenshots, startE2eApp } from "./browser.ts";

/** `YYYY-MM-DD` of `days` days before today (UTC), the form of a date input. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/**
 * A developer's whole path through the SPA served by the real API: sign in, create a catalog, bind a control to the
 * example mashup `nightly-backups-succeeded` and give it a scope set (both through the forms), finalize, run the
 * control on the real worker and Node-RED, read the evidence and the chain, change the finalized control's threshold
 * with a reason (version 2 in its history), and log out.
 */
describe("developer: catalog to computed evidence", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let developer: TestUser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    developer = await signInAs(app, "DEVELOPER");
    // The example mashup reads the `environment` scope; a fresh database has no scopes yet.
    await createScopeVia(app, developer.token, { name: "environment", allowedValues: ["production", "staging"] });
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("signs in, creates and finalizes a catalog, runs a control, shows its evidence and chain, and logs out", async () => {
    const snap = screenshots(page, "developer");
    const catalogName = `E2E catalog ${uniqueSuffix()}`;
    const controlName = `Nightly backups ${uniqueSuffix()}`;

    await logInThroughForm(page, developer.username, developer.password, snap);
    await snap("home");

    await openCatalogsFromNav(page);
    await snap("catalogs");

    await page.getByRole("button", { name: "New catalog" }).click();
    const createDialog = page.getByRole("dialog", { name: "New catalog" });
    await createDialog.getByLabel("Name").fill(catalogName);
    await createDialog.getByLabel("Description").fill("Created by the end-to-end suite");
    await createDialog.getByLabel("Start date").fill(daysAgo(14));
    await createDialog.getByLabel("Time zone").fill("UTC");
    await snap("new-catalog-dialog");
    await createDialog.getByRole("button", { name: "Create catalog" }).click();
    await page.waitForURL(/\/catalogs\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: catalogName }).waitFor();

    // Back to the list, then open the new catalog from it.
    await page.getByRole("link", { name: "← All catalogs" }).click();
    await page.getByRole("link", { name: catalogName }).click();
    await page.getByRole("heading", { level: 1, name: catalogName }).waitFor();
    await page.getByText("This catalog has no controls yet").waitFor();
    await snap("catalog-draft");

    // The control, bound to the example mashup with its declared input, through the catalog page's form.
    await page.getByRole("button", { name: "Add control" }).click();
    const controlDialog = page.getByRole("dialog", { name: "New control" });
    await controlDialog.getByLabel("Name").fill(controlName);
    await controlDialog.getByLabel("Description").fill("Every nightly backup finished");
    await controlDialog.getByLabel("Period").selectOption("DAILY");
    await controlDialog.getByLabel("Threshold (%)").fill("99");
    await controlDialog.getByLabel("Mashup").selectOption("nightly-backups-succeeded");
    await controlDialog.getByLabel("acceptPartial (boolean)").selectOption("false");
    await snap("new-control-dialog");
    await controlDialog.getByRole("button", { name: "Create control" }).click();
    await page.waitForURL(/\/controls\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: controlName }).waitFor();
    const controlId = new URL(page.url()).pathname.split("/").pop()!;

    // Its scope set, on the control page.
    await page.getByRole("button", { name: "Add scope set" }).click();
    const scopeSetDialog = page.getByRole("dialog", { name: "New scope set" });
    await scopeSetDialog.getByLabel("Scope", { exact: true }).selectOption("environment");
    await scopeSetDialog.getByLabel("Value", { exact: true }).selectOption("production");
    await snap("new-scope-set-dialog");
    await scopeSetDialog.getByRole("button", { name: "Add scope set" }).click();
    await scopeSetDialog.waitFor({ state: "hidden" });
    await page.getByText("environment = production").waitFor();
    await snap("control-with-scope-set");
    const stored = await request(app, "GET", `/api/v1/controls/${controlId}`, { token: developer.token });
    expect(stored.body).toMatchObject({
      name: controlName,
      period: "DAILY",
      threshold: 99,
      mashupId: "nightly-backups-succeeded",
      params: { acceptPartial: false },
      scopeSetCount: 1,
    });

    await page.getByRole("link", { name: `← ${catalogName}` }).click();
    await page.getByRole("link", { name: controlName }).waitFor();
    await snap("catalog-with-control");

    await page.getByRole("button", { name: "Finalize", exact: true }).click();
    const finalizeDialog = page.getByRole("dialog", { name: `Finalize “${catalogName}”?` });
    await snap("finalize-dialog");
    await finalizeDialog.getByRole("button", { name: "Finalize catalog" }).click();
    await finalizeDialog.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Finalize", exact: true }).waitFor({ state: "detached" });
    await page.getByRole("main").getByText("Finalized", { exact: true }).first().waitFor();
    await snap("catalog-finalized");

    await page.getByRole("link", { name: controlName }).click();
    await page.waitForURL(/\/controls\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: controlName }).waitFor();
    await page.getByText("No computations yet").waitFor();
    await snap("control");

    await page.getByRole("button", { name: "Run now" }).click();
    const progress = page.getByRole("progressbar", { name: "Run progress" });
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute("aria-valuenow"), { timeout: 60_000, interval: 250 }).toBe("100");
    const summary = page.getByRole("status").filter({ hasText: /^Done/ });
    await summary.waitFor();
    expect(await summary.textContent()).toBe("Done");
    await snap("control-run-done");

    const computations = page.getByRole("table", { name: "Computations" });
    const firstWindow = computations.getByRole("button", { expanded: false }).first();
    await firstWindow.click();
    await computations.getByRole("button", { expanded: true }).waitFor();
    const evidence = page.getByRole("table", { name: "Evidence" });
    await evidence.getByRole("row").nth(1).waitFor();
    expect(await evidence.getByRole("row").count()).toBeGreaterThan(1);
    await snap("control-evidence");

    const chart = page.getByRole("img", { name: /Compliance per window/ });
    await chart.waitFor();
    expect(await chart.locator("title").count()).toBeGreaterThan(0);
    await page.getByText(/^Chain intact — [1-9]\d* points?$/).waitFor();
    await snap("control-chart-and-chain");

    // A result-deciding change of the finalized control: the form asks why and says what will happen, and the
    // version history shows version 2 with its reason and what it changed.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const editDialog = page.getByRole("dialog", { name: `Edit ${controlName}` });
    await editDialog.getByRole("status").filter({ hasText: "creates version 2" }).waitFor();
    await editDialog.getByLabel("Threshold (%)").fill("95");
    await editDialog.getByLabel("Reason for the change").fill("One failed night a month is acceptable");
    await snap("edit-finalized-control");
    await editDialog.getByRole("button", { name: "Save changes" }).click();
    await editDialog.waitFor({ state: "hidden" });
    const history = page.getByRole("region", { name: "Version history" });
    await history.getByRole("heading", { name: "Version 2" }).waitFor();
    await history.getByText("One failed night a month is acceptable").waitFor();
    await history.getByText("Threshold: 99 % → 95 %").waitFor();
    await snap("control-version-history");
    const versions = await request(app, "GET", `/api/v1/controls/${controlId}/versions`, { token: developer.token });
    expect(versions.body.items.map((version: { version: number }) => version.version)).toEqual([2, 1]);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await snap("logged-out");
  });
});
