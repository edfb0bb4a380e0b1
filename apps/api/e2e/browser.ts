import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";
import { startTestApp, type TestApp } from "../test/test-app.ts";

/** The system Chromium (npm test installs it when missing); playwright-core never downloads a browser. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../../test-output/e2e");

/**
 * The real app (real Postgres copy, Redis, shared Node-RED, a worker) serving the SPA built by the e2e global setup.
 */
export function startE2eApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    engine: { isWorker: true, isScheduler: false },
    env: { WEB_DIST_DIR: inject("webDistDir"), ...env },
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookies) on a desktop-sized viewport, bound to the app's loopback address. */
export async function openPage(browser: Browser, app: TestApp): Promise<Page> {
  const context = await browser.newContext({
    baseURL: app.baseUrl,
    viewport: { width: 1280, height: 900 },
    timezoneId: "UTC",
    locale: "en-GB",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/**
 * Saves a full-page screenshot per visited page, numbered in visiting order: test-output/e2e/<scenario>-NN-<name>.png.
 */
export function screenshots(page: Page, scenario: string): (name: string) => Promise<void> {
  let count = 0;
  return async (name) => {
    count += 1;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    // From the top, so the sticky header and side navigation are drawn where they belong on the full-page image.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${scenario}-${String(count).padStart(2, "0")}-${name}.png`),
      fullPage: true,
    });
  };
}

/** Signs in through the login form and waits until the app shell shows the user. */
export async function logInThroughForm(
  page: Page,
  username: string,
  password: string,
  snap: (name: string) => Promise<void>,
): Promise<void> {
  await page.goto("/");
  await page.waitForURL(/\/login/);
  await page.getByLabel("Username").waitFor();
  await snap("login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  await page.getByText(username, { exact: true }).first().waitFor();
}

export async function openCatalogsFromNav(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Catalogs", exact: true }).first().click();
  await page.waitForURL(/\/catalogs$/);
  await page.getByRole("heading", { level: 1, name: "Catalogs" }).waitFor();
}
