import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia } from "../test/factories.ts";
import { signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openCatalogsFromNav, openPage, screenshots, startE2eApp } from "./browser.ts";

/** A read-only USER sees catalogs but none of the developer actions, and the API refuses the browser session too. */
describe("user: read-only catalogs", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let user: TestUser;
  let catalogName: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    const developer = await signInAs(app, "DEVELOPER");
    // A draft: a developer would see "Finalize" on it.
    catalogName = (await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" })).name;
    user = await signInAs(app, "USER");
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("lists and opens catalogs without New catalog or Finalize, and a POST with the session is refused", async () => {
    const snap = screenshots(page, "user");

    await logInThroughForm(page, user.username, user.password, snap);
    await snap("home");

    await openCatalogsFromNav(page);
    await page.getByRole("link", { name: catalogName }).waitFor();
    expect(await page.getByRole("button", { name: "New catalog" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Catalog wizard" }).count()).toBe(0);
    await snap("catalogs");

    await page.getByRole("link", { name: catalogName }).click();
    await page.getByRole("heading", { level: 1, name: catalogName }).waitFor();
    await page.getByRole("heading", { name: "Controls" }).waitFor();
    for (const name of ["Finalize", "Edit", "Delete", "Add control"])
      expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
    // Running is open to every role; editing is not.
    await page.getByRole("button", { name: "Run all" }).waitFor();
    await snap("catalog");

    // The SPA's own way of calling the API: session cookies plus the CSRF header read from its cookie.
    const refused = await page.evaluate(async () => {
      const csrf = document.cookie
        .split("; ")
        .find((cookie) => cookie.startsWith("status_csrf="))
        ?.slice("status_csrf=".length);
      const response = await fetch("/api/v1/catalogs", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", ...(csrf ? { "x-csrf-token": decodeURIComponent(csrf) } : {}) },
        body: JSON.stringify({ name: "Not allowed" }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { code?: string },
        hadCsrf: csrf !== undefined,
      };
    });
    expect(refused).toMatchObject({ status: 403, body: { code: "forbidden" }, hadCsrf: true });

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await snap("logged-out");
  });
});
