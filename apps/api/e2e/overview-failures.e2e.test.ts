import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../test/factories.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

/**
 * The officer's first hop (issue 13): the demo's backups control, evaluated by the example mashup on the sample
 * backup log, failed on 3 December 2026 (production-2026-12-03 in apps/nodered/sample-data/backup-log.json). The
 * overview leads with it in "Failed in this period", and its link opens the control page at the failing computation.
 */
describe("officer: failures first", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  let controlId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    admin = await signInAs(app, "ADMIN");
    await createScopeVia(app, admin.token, { name: "environment", allowedValues: ["production", "staging"] });
    // As the demo seeds it (src/seed/demo-data.ts): daily, 99 %, production, no partial backups.
    const catalog = await createCatalogVia(app, admin.token, { startDate: "2026-11-01T00:00:00Z", timeZone: "UTC" });
    const control = await createControlVia(app, admin.token, catalog.id, {
      name: "Nightly backups succeed",
      period: "DAILY",
      threshold: 99,
      mashupId: "nightly-backups-succeeded",
      params: { acceptPartial: false },
    });
    controlId = control.id;
    await createScopeSetVia(app, admin.token, control.id, { environment: "production" });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: admin.token,
      body: { status: "finalized" },
    });
    expect(finalized.status, finalized.text).toBe(200);
    const { batch } = await startRuns(app, admin.token, control.id, {
      from: "2026-12-01T00:00:00Z",
      to: "2026-12-05T00:00:00Z",
    });
    expect((await waitForBatch(app, admin.token, batch.id)).batch.counts.succeeded).toBe(4);
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows the failing backups control in Failed in this period and its link lands on the failing computation", async () => {
    const snap = screenshots(page, "officer");
    await logInThroughForm(page, admin.username, admin.password, snap);

    // A year of history, so the sample's failing night stays in the period whenever the suite runs.
    await page.goto(new URL("/?days=365", app.baseUrl).toString());
    const failures = page.getByRole("main").getByRole("table", { name: "Failed in this period" });
    const row = failures.getByRole("row", { name: /Nightly backups succeed/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/1 of 4/);
    expect(await row.textContent()).toContain("Not failing now");
    await snap("overview-failures");

    const link = row.getByRole("link", { name: "Nightly backups succeed" });
    expect(await link.getAttribute("href")).toMatch(new RegExp(`/controls/${controlId}\\?computation=[0-9a-f-]{36}$`));
    await link.click();

    await page.waitForURL(new RegExp(`/controls/${controlId}\\?computation=`));
    await page.getByRole("heading", { level: 1, name: "Nightly backups succeed" }).waitFor();
    // The catalog's own zone once loaded; before that the toggle names the browser's zone beside a "UTC" switch.
    await page.getByTestId("time-zone").locator("strong", { hasText: /^UTC$/ }).waitFor();
    await snap("control-at-failing-computation");
  });
});
