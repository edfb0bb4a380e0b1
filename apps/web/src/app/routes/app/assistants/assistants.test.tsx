// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { buildAiSettings, buildAssistant, buildMe, buildPage } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

function assistantsHandler(items = [buildAssistant({ name: "Audit helper" })]) {
  server.use(http.get("/api/v1/assistants", () => HttpResponse.json(buildPage(items))));
}

function settingsHandlers(settings = buildAiSettings()) {
  const patches: unknown[] = [];
  server.use(
    http.get("/api/v1/ai/settings", () => HttpResponse.json(settings)),
    http.get("/api/v1/ai/usage", () =>
      HttpResponse.json({
        items: [
          {
            userId: buildMe().id,
            username: "dana",
            day: "2025-06-02",
            requests: 3,
            promptTokens: 900,
            completionTokens: 100,
          },
        ],
      }),
    ),
    http.patch("/api/v1/ai/settings", async ({ request }) => {
      patches.push(await request.json());
      return HttpResponse.json({ ...settings, apiKeyLast4: "abcd" });
    }),
  );
  return patches;
}

describe("assistants page", () => {
  it("lists the assistants with a link to chat, and offers a USER no management and no AI settings", async () => {
    const assistant = buildAssistant({ name: "Audit helper", model: "gpt-4o" });
    assistantsHandler([assistant]);
    renderApp("/assistants", { me: buildMe({ role: "USER" }) });

    const link = await screen.findByRole("link", { name: "Audit helper" });
    expect(link).toHaveAttribute("href", `/assistants/${assistant.id}`);
    expect(screen.getByRole("row", { name: /Audit helper/ })).toHaveTextContent(
      /gpt-4o.*List failing controls, Latest evidence of a control/,
    );
    expect(screen.queryByRole("button", { name: "New assistant" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit Audit helper" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "AI settings" })).not.toBeInTheDocument();
  });

  it("creates an assistant with instructions, the default model and the chosen tools", async () => {
    assistantsHandler([]);
    let body: unknown;
    server.use(
      http.post("/api/v1/assistants", async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(buildAssistant(), { status: 201 });
      }),
    );
    const { user } = renderApp("/assistants", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "New assistant" }));
    const dialog = await screen.findByRole("dialog", { name: "New assistant" });
    await user.type(within(dialog).getByLabelText("Name"), "Flow writer");
    await user.type(within(dialog).getByLabelText("Instructions"), "Draft flows.");
    await user.click(within(dialog).getByRole("checkbox", { name: /Search the knowledge base/ }));
    await user.click(within(dialog).getByRole("checkbox", { name: /Draft a Node-RED flow/ }));
    await user.click(within(dialog).getByRole("button", { name: "Create assistant" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(body).toEqual({
      name: "Flow writer",
      description: "",
      instructions: "Draft flows.",
      model: null,
      isEnabled: true,
      tools: [
        "list_failing_controls",
        "get_control_evidence",
        "get_catalog_compliance",
        "explain_control_flow",
        "draft_node_red_flow",
      ],
    });
  }, 15_000);

  it("uploads a Markdown document as base64 JSON and explains a refused type", async () => {
    const assistant = buildAssistant({ name: "Docs" });
    assistantsHandler([assistant]);
    const uploads: any[] = [];
    server.use(
      http.get(`/api/v1/assistants/${assistant.id}/documents`, () => HttpResponse.json({ items: [] })),
      http.post(`/api/v1/assistants/${assistant.id}/documents`, async ({ request }) => {
        const body: any = await request.json();
        uploads.push(body);
        if (body.filename.endsWith(".docx"))
          return problemResponse({ status: 415, code: "unsupported_media_type", title: "Unsupported media type" });
        return HttpResponse.json(
          {
            id: assistant.id,
            assistantId: assistant.id,
            filename: body.filename,
            contentType: "text/markdown",
            sizeBytes: 14,
            chunkCount: 1,
            characterCount: 14,
            createdAt: "2025-06-02T10:00:00Z",
          },
          { status: 201 },
        );
      }),
    );
    const { user } = renderApp("/assistants", { me: buildMe({ role: "DEVELOPER" }) });

    await user.click(await screen.findByRole("button", { name: "Documents of Docs" }));
    const dialog = await screen.findByRole("dialog");
    const input = within(dialog).getByLabelText("Add a document (PDF, Markdown, text)");
    await user.upload(input, new File(["# Backups\nNightly."], "policy.md", { type: "" }));

    expect(await within(dialog).findByText("policy.md: 1 passages indexed")).toBeInTheDocument();
    expect(uploads[0]).toEqual({
      filename: "policy.md",
      contentType: "text/markdown",
      contentBase64: btoa("# Backups\nNightly."),
    });

    // The file picker offers only accepted types; a file dropped in anyway still reaches the server's check.
    fireEvent.change(input, {
      target: {
        files: [
          new File(["x"], "notes.docx", {
            type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          }),
        ],
      },
    });
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Only PDF, Markdown (.md) and text (.txt) files can be added.",
    );
  }, 15_000);

  it("shows ADMIN the key status without the key, saves a new key and reports a failed connection check", async () => {
    assistantsHandler();
    const patches = settingsHandlers();
    server.use(
      http.post("/api/v1/ai/settings/check", () =>
        HttpResponse.json({
          isOk: false,
          code: "ai_invalid_api_key",
          title: "Invalid AI API key",
          detail: "The AI server refused the API key",
        }),
      ),
    );
    const { user } = renderApp("/assistants", { me: buildMe({ role: "ADMIN" }) });

    const section = await screen.findByRole("region", { name: "AI settings" });
    expect(await within(section).findByText("A key is set (stored encrypted), ending in …9xQz.")).toBeInTheDocument();
    expect(within(section).getByLabelText("API key")).toHaveValue("");
    expect(within(section).getByRole("row", { name: /2025-06-02.*dana.*3.*1000/ })).toBeInTheDocument();

    await user.type(within(section).getByLabelText("API key"), "sk-new-secret-abcd");
    await user.type(within(section).getByLabelText("Base URL"), "http://127.0.0.1:11434/v1");
    await user.click(within(section).getByRole("button", { name: "Save AI settings" }));
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({
      apiKey: "sk-new-secret-abcd",
      baseUrl: "http://127.0.0.1:11434/v1",
      defaultModel: "gpt-4o-mini",
      dailyRequestLimit: 200,
      dailyTokenLimit: 500000,
    });
    await waitFor(() => expect(within(section).getByLabelText("API key")).toHaveValue(""));

    await user.click(within(section).getByRole("button", { name: "Check connection" }));
    const alert = await within(section).findByRole("alert");
    expect(alert).toHaveTextContent("Invalid AI API key");
    expect(alert).toHaveTextContent("The AI server refused the API key");
  }, 15_000);
});
