import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createEvaluableControl } from "../test/engine/engine-helpers.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import { startAppWithFakeRegistry, type RegistryTestSetup } from "../test/registry/registry-helpers.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots } from "./browser.ts";

/**
 * An admin's path through the registry parts of the SPA, against the real app and a FAKE Governify registry on
 * loopback: the catalog's publication badge, a sync from the registry that stores points, the system status and the
 * retention periods.
 */
describe("admin: registry publication, sync, system status and retention (FAKE Governify registry)", () => {
  let setup: RegistryTestSetup;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;

  beforeAll(async () => {
    [setup, browser] = await Promise.all([
      startAppWithFakeRegistry({ env: { WEB_DIST_DIR: inject("webDistDir") } }),
      launchBrowser(),
    ]);
    admin = await signInAs(setup.app, "ADMIN");
    page = await openPage(browser, setup.app);
  });
  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  it("shows the catalog as published, syncs guarantee states into points, every dependency's status and retention", async () => {
    const snap = screenshots(page, "registry");
    const { catalog, control } = await createEvaluableControl(setup.app, admin.token, {
      mashupId: "test-pass",
      period: "DAILY",
      scopes: [{ team: "payments" }],
    });
    await logInThroughForm(page, admin.username, admin.password, snap);

    await page.goto(`/catalogs/${catalog.id}`);
    const publication = page.getByRole("region", { name: "Registry publication" });
    await publication.getByText("Published to the registry").waitFor();
    await snap("catalog-published");

    const form = publication.getByRole("form", { name: "Sync from registry" });
    await form.getByLabel("From").fill("2025-03-01");
    await form.getByLabel("To").fill("2025-03-03");
    await form.getByRole("button", { name: "Sync from registry" }).click();
    await form.getByText("2 windows asked; 2 new points stored, 0 already there").waitFor();
    await snap("catalog-synced");
    const points = await request(setup.app, "GET", `/api/v1/points?controlId=${control.id}&source=registry`, {
      token: admin.token,
    });
    expect(points.body.total).toBe(2);

    await page.getByRole("link", { name: "Settings", exact: true }).first().click();
    await page.waitForURL(/\/settings$/);
    const table = page.getByRole("table", { name: "Dependencies" });
    const registryRow = table.getByRole("row").filter({ hasText: "Governify registry" });
    await registryRow.getByText("Up").waitFor();
    await registryRow.getByText("3.9.0-fake").waitFor();
    await registryRow.getByText(setup.registry.url).waitFor();
    await table.getByRole("row").filter({ hasText: "Grafana" }).getByText("Not configured").waitFor();
    await snap("settings-system-status");

    const retention = page.getByRole("table", { name: "Retention" });
    await retention.getByRole("row").filter({ hasText: "Points" }).getByText("Always kept", { exact: true }).waitFor();
    await page.getByLabel("Assistant conversations").fill("180");
    await page.getByRole("button", { name: "Save retention" }).click();
    await page.getByText("The retention periods were saved.").waitFor();
    await snap("settings-retention");
    const saved = await request(setup.app, "GET", "/api/v1/retention", { token: admin.token });
    expect(saved.body.categories).toContainEqual(expect.objectContaining({ category: "conversations", keepDays: 180 }));
  });
});
