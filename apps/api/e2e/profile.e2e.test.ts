import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { buildUser } from "../test/user-factory.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

/**
 * The profile page in a real browser: a password change signs out the user's other browser and the new password signs
 * in; an administrator's reset sends the user to the forced change before anything else.
 */
describe("profile: password change and administrator reset", () => {
  let app: TestApp;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    admin = await signInAs(app, "ADMIN");
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function fillPasswordForm(page: Page, current: string, next: string, submit: string) {
    await page.getByLabel("Current password").fill(current);
    await page.getByLabel("New password", { exact: true }).fill(next);
    await page.getByLabel("Repeat the new password").fill(next);
    await page.getByRole("button", { name: submit }).click();
  }

  it("changes the password on the profile page: the other browser is signed out, the new password signs in", async () => {
    const user = await buildUser(app, { role: "DEVELOPER" });
    const newPassword = "a brand new passphrase";
    const page = await openPage(browser, app);
    const other = await openPage(browser, app);
    const snap = screenshots(page, "profile");
    await logInThroughForm(other, user.username, user.password, async () => undefined);
    await logInThroughForm(page, user.username, user.password, snap);

    await page.goto("/profile");
    const section = page.getByRole("region", { name: "Password" });
    await section.waitFor();
    await section.getByLabel("Current password").fill(user.password);
    await section.getByLabel("New password", { exact: true }).fill(newPassword);
    await section.getByLabel("Repeat the new password").fill(newPassword);
    await section.getByRole("button", { name: "Change password" }).click();
    await section.getByText("1 other session was signed out").waitFor();
    await snap("password-changed");

    // This browser stays signed in; the other one is sent to sign in on its next request.
    await page.goto("/catalogs");
    await page.getByRole("heading", { level: 1, name: "Catalogs" }).waitFor();
    await other.goto("/catalogs");
    await other.waitForURL(/\/login/);

    await logInThroughForm(other, user.username, newPassword, async () => undefined);
    expect(new URL(other.url()).pathname).not.toBe("/login");
    await page.context().close();
    await other.context().close();
  });

  it("after an administrator's reset, the user must choose a new password before anything else", async () => {
    const user = await buildUser(app);
    const reset = await request(app, "POST", `/api/v1/users/${user.id}/password`, { token: admin.token, body: {} });
    expect(reset.status).toBe(200);
    const temporary = reset.body.temporaryPassword as string;
    const page = await openPage(browser, app);
    const snap = screenshots(page, "forced-password-change");

    await page.goto("/catalogs");
    await page.waitForURL(/\/login/);
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password").fill(temporary);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/change-password$/);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await snap("forced");
    // Any other page sends it back here.
    await page.goto("/catalogs");
    await page.waitForURL(/\/change-password$/);

    await fillPasswordForm(page, temporary, "my very own passphrase", "Set new password");
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await page.goto("/catalogs");
    await page.getByRole("heading", { level: 1, name: "Catalogs" }).waitFor();
    await snap("after-change");
    await page.context().close();
  });
});
