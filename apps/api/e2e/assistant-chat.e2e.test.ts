import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../test/engine/engine-helpers.ts";
import { startFakeOpenAi, type FakeOpenAi } from "../test/fakes/fake-openai.ts";
import { request, signInAs, type TestUser } from "../test/http-client.ts";
import type { TestApp } from "../test/test-app.ts";
import { launchBrowser, logInThroughForm, openPage, screenshots, startE2eApp } from "./browser.ts";

/**
 * The "done when": a compliance officer asks "which controls failed last month and why?" in the browser and
 * gets a streamed answer grounded in the stored evidence, with the control it cites linked to its page. The model is
 * the loopback fake of OpenAI; the points come from the real Node-RED test flow.
 */
describe("compliance officer: asking an assistant", () => {
  let app: TestApp;
  let fake: FakeOpenAi;
  let browser: Browser;
  let page: Page;
  let officer: TestUser;
  let assistantName: string;
  let control: { id: string; name: string; catalogId: string };

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    [app, browser] = await Promise.all([
      startE2eApp({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: fake.apiKey, OPENAI_MAX_RETRIES: "0" }),
      launchBrowser(),
    ]);
    const developer = await signInAs(app, "DEVELOPER");
    const evaluable = await createEvaluableControl(app, developer.token, { mashupId: "test-fail", threshold: 80 });
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, evaluable.control.id)).batch.id);
    control = { id: evaluable.control.id, name: evaluable.control.name, catalogId: evaluable.catalog.id };
    assistantName = `Compliance helper ${Date.now()}`;
    await request(app, "POST", "/api/v1/assistants", {
      token: developer.token,
      body: { name: assistantName, tools: ["list_failing_controls", "get_control_evidence"] },
    });
    officer = await signInAs(app, "USER");
    page = await openPage(browser, app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
  });

  it("asks which controls failed last month and why, and follows the cited control", async () => {
    const snap = screenshots(page, "assistant");
    fake.script({ toolCalls: [{ name: "list_failing_controls", arguments: {} }] }, (body) => {
      const result = JSON.parse(body.messages.at(-1).content);
      const failing = result.failingControls[0];
      return {
        text: `${failing.controlName} failed in ${failing.failedWindows} window: evidence ${failing.failedEvidences[0].key} failed.`,
        chunkSize: 3,
      };
    });

    await logInThroughForm(page, officer.username, officer.password, snap);
    await page.getByRole("link", { name: "Assistants", exact: true }).first().click();
    await page.getByRole("link", { name: assistantName }).click();
    await page.getByRole("heading", { level: 1, name: assistantName }).waitFor();
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.getByLabel("Message").fill("Which controls failed last month and why?");
    await page.getByRole("button", { name: "Send" }).click();

    const answer = `${control.name} failed in 1 window: evidence item-2 failed.`;
    await page.getByText(answer).waitFor();
    await page.getByRole("list", { name: "Tool steps" }).getByText("List failing controls").waitFor();
    await snap("answer");
    const source = page.getByLabel("Sources").getByRole("link", { name: control.name, exact: true });
    expect(await source.getAttribute("href")).toBe(`/catalogs/${control.catalogId}/controls/${control.id}`);
    expect(fake.chatRequests().at(-2)!.body.stream).toBe(true);

    await source.click();
    await page.getByRole("heading", { level: 1, name: control.name }).waitFor();
    await snap("cited-control");
  });

  it("lets an administrator replace the key, see a refused one explained, and check the connection", async () => {
    const admin = await signInAs(app, "ADMIN");
    const adminPage = await openPage(browser, app);
    const snap = screenshots(adminPage, "ai-settings");
    await logInThroughForm(adminPage, admin.username, admin.password, snap);
    await adminPage.goto("/assistants");
    const settings = adminPage.getByRole("region", { name: "AI settings" });
    await settings.getByText(`A key is set (from OPENAI_API_KEY), ending in …${fake.apiKey.slice(-4)}.`).waitFor();

    await settings.getByLabel("API key").fill("sk-wrong-key-0000");
    await settings.getByRole("button", { name: "Save AI settings" }).click();
    await settings.getByText("A key is set (stored encrypted), ending in …0000.").waitFor();
    await settings.getByRole("button", { name: "Check connection" }).click();
    await settings.getByRole("alert").getByText("Invalid AI API key").waitFor();
    await snap("refused-key");

    await settings.getByLabel("API key").fill(fake.apiKey);
    await settings.getByRole("button", { name: "Save AI settings" }).click();
    await settings.getByText(`A key is set (stored encrypted), ending in …${fake.apiKey.slice(-4)}.`).waitFor();
    await settings.getByRole("button", { name: "Check connection" }).click();
    await settings.getByText("The server answered with 2 models.").waitFor();
    await snap("checked");
    const stored = await app.deps.db.query<{ key: string }>("select api_key_encrypted as key from ai_settings");
    expect(stored.rows[0]!.key.startsWith("v1:")).toBe(true);
    expect(await adminPage.content()).not.toContain(fake.apiKey);
  });
});
