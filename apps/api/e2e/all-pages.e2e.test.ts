import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { createScopeVia } from "../test/factories.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

const DAY = 86_400_000;
const utcMidnight = (offsetDays: number) =>
  new Date(new Date(new Date().toISOString().slice(0, 10)).getTime() + offsetDays * DAY);

/** Polls an evidence pack until its worker has finished it. */
async function waitForPack(app: TestApp, token: string, packId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await request(app, "GET", `/api/v1/evidence-packs/${packId}`, { token });
    if (body.status === "done") return;
    if (body.status === "failed" || Date.now() > deadline) throw new Error(`pack not built: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Visit {
  name: string;
  path: string;
  /** Something that shows once the page has its data (not just its spinner). */
  ready: (page: Page) => Promise<unknown>;
}

/**
 * True when the document is wider than the viewport: something overflows instead of wrapping or scrolling in its own
 * box.
 */
function hasPageOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/**
 * The tables wider than their container that have no scrolling frame of their own (an ancestor with `overflow-x`
 * auto or scroll), described by their accessible name or position: those would push the page sideways.
 */
function unframedWideTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("main table")].flatMap((table, index) => {
      const container = table.parentElement;
      if (!container || table.scrollWidth <= container.clientWidth + 1) return [];
      for (let node: HTMLElement | null = container; node && node !== document.body; node = node.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(node).overflowX)) return [];
      }
      return [table.getAttribute("aria-label") ?? `table ${index + 1}`];
    }),
  );
}

/**
 * The tables that scroll sideways inside their own frame (the table is wider than the frame). None may: at desktop
 * width every column fits, and on a tablet tables fold their secondary columns into a line under the first.
 */
function scrollingTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("main table")].flatMap((table, index) => {
      const frame = table.parentElement;
      if (!frame || table.scrollWidth <= frame.clientWidth + 1) return [];
      return [
        `${table.getAttribute("aria-label") ?? `table ${index + 1}`} (${table.scrollWidth} px in ${frame.clientWidth})`,
      ];
    }),
  );
}

/** The widths every page is checked at: a common desktop and a tablet in portrait. */
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
] as const;

/**
 * An ADMIN visits every page of the app (one list, `visits`: add new pages there), at 1440×900 and at 768×1024, and a
 * screenshot of each is saved to the ignored test-output folder. At both widths no page may be wider than the window,
 * and no table may scroll sideways, not even in its own frame (below 1024 px the navigation folds into the header's
 * menu and tables keep the columns that matter, the rest on a line under the first).
 */
describe("admin: every page", () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  let visits: Visit[];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchBrowser()]);
    admin = await signInAs(app, "ADMIN");
    await createScopeVia(app, admin.token, { name: "environment", allowedValues: ["production", "staging"] });
    // Data for every page: a finalized catalog with a control that has points (a passing and a failing one).
    const passing = await createEvaluableControl(app, admin.token, {
      mashupId: "test-pass",
      startDate: utcMidnight(-4).toISOString(),
    });
    const failing = await createEvaluableControl(app, admin.token, {
      mashupId: "test-fail",
      threshold: 90,
      startDate: utcMidnight(-4).toISOString(),
    });
    for (const { control } of [passing, failing]) {
      const { batch } = await startRuns(app, admin.token, control.id, {
        from: utcMidnight(-3).toISOString(),
        to: utcMidnight(0).toISOString(),
      });
      await waitForBatch(app, admin.token, batch.id);
    }
    const { catalog, control } = failing;
    // A framework with a requirement the failing control is mapped to, for the frameworks pages (issue 16).
    const imported = await request(app, "POST", "/api/v1/frameworks/import", {
      token: admin.token,
      body: { format: "csv", name: "SOC 2", version: "2017", content: "id,title,group\nCC8.1,Change management,CC8\n" },
    });
    const framework = imported.body.framework as { id: string };
    const requirements = await request(app, "GET", `/api/v1/frameworks/${framework.id}/requirements`, {
      token: admin.token,
    });
    await request(app, "POST", `/api/v1/controls/${control.id}/requirements`, {
      token: admin.token,
      body: { requirementId: requirements.body.items[0].id, relationship: "equivalent-to" },
    });
    // A finished evidence pack of the last 30 days, for the auditors' page and its list of packs (issue 17).
    const pack = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/evidence-packs`, {
      token: admin.token,
      body: { from: utcMidnight(-30).toISOString(), to: utcMidnight(0).toISOString() },
    });
    await waitForPack(app, admin.token, pack.body.id as string);
    // The admin watches the failing control, for My controls (issue 13).
    await request(app, "POST", `/api/v1/controls/${control.id}/watchers`, {
      token: admin.token,
      body: { userId: admin.id },
    });
    const main = (page: Page) => page.getByRole("main");
    visits = [
      {
        name: "overview",
        path: "/",
        ready: (page) => main(page).getByRole("table", { name: "Compliance per catalog" }).waitFor(),
      },
      {
        name: "my-controls",
        path: "/my-controls",
        ready: (page) => main(page).getByRole("table", { name: "My controls" }).waitFor(),
      },
      {
        name: "catalogs",
        path: "/catalogs",
        ready: (page) => main(page).getByRole("link", { name: catalog.name }).waitFor(),
      },
      { name: "catalog-wizard", path: "/catalogs/new", ready: (page) => main(page).getByLabel("Time zone").waitFor() },
      {
        name: "catalog",
        path: `/catalogs/${catalog.id}`,
        ready: (page) =>
          main(page).getByRole("table", { name: "Controls" }).getByText("Failing", { exact: true }).first().waitFor(),
      },
      {
        name: "catalog-auditors",
        path: `/catalogs/${catalog.id}/auditors`,
        ready: (page) => main(page).getByRole("table", { name: "Evidence packs" }).getByText("Done").first().waitFor(),
      },
      {
        name: "control",
        path: `/catalogs/${catalog.id}/controls/${control.id}`,
        ready: (page) =>
          main(page)
            .getByText(/^Chain intact/)
            .waitFor(),
      },
      {
        name: "frameworks",
        path: "/frameworks",
        ready: (page) => main(page).getByRole("link", { name: "SOC 2" }).waitFor(),
      },
      {
        name: "framework-import",
        path: "/frameworks/import",
        ready: (page) => main(page).getByLabel("File", { exact: true }).waitFor(),
      },
      {
        name: "framework",
        path: `/frameworks/${framework.id}`,
        ready: (page) => main(page).getByText("Not satisfied").first().waitFor(),
      },
      {
        name: "statement-of-applicability",
        path: `/frameworks/${framework.id}/statement-of-applicability`,
        ready: (page) =>
          // The controls show in their column from 1024 px, under the requirement below: the visible copy.
          main(page)
            .getByRole("table", { name: "Statement of Applicability" })
            .getByText("Failing")
            .filter({ visible: true })
            .first()
            .waitFor(),
      },
      {
        name: "catalog-wizard-from-framework",
        path: "/catalogs/new?from=framework",
        ready: (page) => main(page).getByLabel("Framework").waitFor(),
      },
      { name: "scopes", path: "/scopes", ready: (page) => main(page).getByText("environment").first().waitFor() },
      {
        name: "mashups",
        path: "/mashups",
        ready: (page) => main(page).getByRole("table", { name: "Mashups" }).waitFor(),
      },
      {
        name: "mashup-test",
        path: "/mashups?test=test-pass",
        ready: (page) => main(page).getByRole("button", { name: "Call the mashup" }).waitFor(),
      },
      { name: "runs", path: "/runs", ready: (page) => main(page).getByRole("table", { name: "Runs" }).waitFor() },
      {
        name: "dashboards",
        path: "/dashboards",
        ready: (page) => main(page).getByRole("heading", { level: 1, name: "Dashboards" }).waitFor(),
      },
      {
        name: "assistants",
        path: "/assistants",
        ready: (page) => main(page).getByRole("heading", { level: 1, name: "Assistants" }).waitFor(),
      },
      { name: "audit-log", path: "/audit-log", ready: (page) => main(page).getByRole("table").first().waitFor() },
      { name: "users", path: "/users", ready: (page) => main(page).getByText(admin.username).first().waitFor() },
      {
        name: "api-tokens",
        path: "/api-tokens",
        ready: (page) => main(page).getByRole("heading", { level: 1 }).waitFor(),
      },
      { name: "settings", path: "/settings", ready: (page) => main(page).getByRole("heading", { level: 1 }).waitFor() },
      {
        name: "notifications",
        path: "/notifications",
        ready: (page) => main(page).getByRole("heading", { level: 1, name: "Notifications" }).waitFor(),
      },
      {
        name: "profile",
        path: "/profile",
        ready: (page) => main(page).getByRole("table").first().waitFor(),
      },
    ];
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows every page at 1440 px and at 768 px without horizontal overflow, and saves a screenshot of each", async () => {
    const snap = screenshots(page, "admin");
    await logInThroughForm(page, admin.username, admin.password, snap);
    const overflowing: string[] = [];

    for (const viewport of VIEWPORTS) {
      const { width } = viewport;
      await page.setViewportSize(viewport);
      for (const visit of visits) {
        await page.goto(visit.path);
        await visit.ready(page);
        await page
          .getByRole("status", { name: /^Loading/ })
          .first()
          .waitFor({ state: "detached" })
          .catch(() => undefined);
        if (await hasPageOverflow(page)) overflowing.push(`${visit.name} at ${width} px`);
        for (const table of await unframedWideTables(page)) overflowing.push(`${visit.name}: ${table} at ${width} px`);
        for (const table of await scrollingTables(page))
          overflowing.push(`${visit.name}: ${table} scrolls at ${width} px`);
        await snap(`${width}-${visit.name}`);
      }
    }

    // The test call of a mashup, with its raw answer.
    await page.goto("/mashups?test=test-pass");
    await page.getByRole("button", { name: "Call the mashup" }).click();
    await page.getByRole("region", { name: "Test result" }).getByText("Usable by a run").waitFor();
    await snap("mashup-test-result");

    // Dark mode, kept across pages.
    await page.goto("/");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.getByRole("table", { name: "Compliance per catalog" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await snap("overview-dark");

    expect(overflowing).toEqual([]);
  });

  it("moves focus visibly through the navigation with the keyboard", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/catalogs");
    await page.getByRole("heading", { level: 1, name: "Catalogs" }).waitFor();
    const outlines: string[] = [];
    for (let press = 0; press < 6; press += 1) {
      await page.keyboard.press("Tab");
      outlines.push(
        await page.evaluate(() =>
          document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : "none",
        ),
      );
    }
    expect(outlines.every((style) => style !== "none")).toBe(true);
  });
});
