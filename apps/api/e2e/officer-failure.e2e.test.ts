import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../src/seed/demo-data.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

/**
 * An officer follows a link to a failing computation of the demo data (production's backup of 2026-07-05 failed in
 * the sample data) and sees the failing evidence explained: what was checked, the value, and the rule it broke; and
 * gets there from the overview's "Failed in this period" in one click.
 */
describe("officer: a failing computation explains itself", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let officer: TestUser;
  let path: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    const admin = await signInAs(app, "ADMIN");
    officer = await signInAs(app, "USER");
    await seedDemoData(app.deps, {
      userId: admin.id,
      username: admin.username,
      role: "ADMIN",
      authMethod: "session",
    });
    const catalogs = await request(app, "GET", "/api/v1/catalogs", { token: admin.token });
    const catalog = catalogs.body.items[0];
    const controls = await request(app, "GET", `/api/v1/catalogs/${catalog.id}/controls?pageSize=50`, {
      token: admin.token,
    });
    const control = controls.body.items.find((item: { name: string }) => item.name === "Nightly backups succeed");
    const created = await startRuns(app, admin.token, control.id, {
      from: "2026-07-04T00:00:00Z",
      to: "2026-07-07T00:00:00Z",
    });
    await waitForBatch(app, admin.token, created.batch.id, 60_000);
    const failing = await request(app, "GET", `/api/v1/controls/${control.id}/computations?result=fail`, {
      token: admin.token,
    });
    expect(failing.body.items).toHaveLength(1);
    path = `/catalogs/${catalog.id}/controls/${control.id}?computation=${failing.body.items[0].id}`;
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("opens the control page at the failing computation with its evidence row and rule visible", async () => {
    const snap = screenshots(page, "officer-failure");
    await logInThroughForm(page, officer.username, officer.password, snap);

    await page.goto(path);
    const evidence = page.getByRole("table", { name: "Evidence" });
    const row = evidence.getByRole("row").filter({ hasText: "production-2026-07-05" });
    await row.waitFor();
    await expect(row.isVisible()).resolves.toBe(true);
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells.slice(0, 5)).toEqual(["production-2026-07-05", "Backup status", "failed", "= success", "Fail"]);
    await snap("failing-evidence");
  });
  it("reaches the failing evidence and its rule from the overview in one click", async () => {
    const snap = screenshots(page, "officer-overview");
    await page.goto("/?days=365");
    const failures = page.getByRole("table", { name: "Failed in this period" });
    await failures.waitFor();
    await snap("failed-in-this-period");
    await failures.getByRole("link", { name: "Nightly backups succeed" }).click();

    const row = page
      .getByRole("table", { name: "Evidence" })
      .getByRole("row")
      .filter({ hasText: "production-2026-07-05" });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells.slice(0, 5)).toEqual(["production-2026-07-05", "Backup status", "failed", "= success", "Fail"]);
    expect(new URL(page.url()).searchParams.get("computation")).toBeTruthy();
    await snap("failing-evidence-from-overview");
  });
});
