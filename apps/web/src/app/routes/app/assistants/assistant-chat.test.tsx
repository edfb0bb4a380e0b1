// @vitest-environment jsdom
import { AUTH_COOKIES, CSRF_HEADER, type Message } from "@status/shared";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { setCookie } from "@/testing/cookies.ts";
import { buildAssistant, buildConversation, buildMe, buildMessage, buildPage, nextId } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { currentUrl, renderApp } from "@/testing/render-app.tsx";
import { server } from "@/testing/server.ts";

const assistant = buildAssistant({ name: "Audit helper" });
const base = `/api/v1/assistants/${assistant.id}/conversations`;

/** Server-Sent Events as the API writes them, sent in a few pieces so the client has to reassemble them. */
function eventStream(events: { event: string; data: unknown }[]): HttpResponse<ReadableStream> {
  const text = events.map((event) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`).join("");
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    start(controller) {
      for (let index = 0; index < text.length; index += 40)
        controller.enqueue(encoder.encode(text.slice(index, index + 40)));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
}

function conversationHandlers(
  conversation = buildConversation({ assistantId: assistant.id }),
  initial: Message[] = [],
) {
  let messages = initial;
  server.use(
    http.get(`/api/v1/assistants/${assistant.id}`, () => HttpResponse.json(assistant)),
    http.get(base, () => HttpResponse.json(buildPage([conversation]))),
    http.get(`${base}/${conversation.id}`, () => HttpResponse.json({ ...conversation, messages })),
    http.get("/api/v1/ai/usage/me", () =>
      HttpResponse.json({ day: "2025-06-02", requests: 3, tokens: 1200, dailyRequestLimit: 200, dailyTokenLimit: 0 }),
    ),
  );
  return { conversation, setMessages: (next: Message[]) => (messages = next) };
}

describe("chat with an assistant", () => {
  it("streams the answer with its tool steps, then shows the stored answer with links to the cited control", async () => {
    setCookie(AUTH_COOKIES.csrf, "csrf-123");
    const { conversation, setMessages } = conversationHandlers();
    const control = { id: nextId(), catalogId: nextId(), name: "Backups succeed" };
    const computation = {
      id: nextId(),
      controlId: control.id,
      windowStart: "2025-05-01T00:00:00Z",
      windowEnd: "2025-06-01T00:00:00Z",
    };
    const citations = { controls: [control], computations: [computation], documents: [] };
    const call = { id: "call_1", name: "list_failing_controls", arguments: "{}" };
    const stored = [
      buildMessage({
        conversationId: conversation.id,
        role: "user",
        content: "Which controls failed last month and why?",
      }),
      buildMessage({ conversationId: conversation.id, role: "assistant", content: "", toolCalls: [call] }),
      buildMessage({
        conversationId: conversation.id,
        role: "tool",
        content: '{"failingControls":[]}',
        toolCallId: "call_1",
        toolName: "list_failing_controls",
        toolSummary: "1 failing control between 2025-05-01 and 2025-06-01",
        citations,
      }),
      buildMessage({
        conversationId: conversation.id,
        role: "assistant",
        content: "Backups succeed failed: item-2 failed.",
        citations,
      }),
    ];
    let sent: { body: unknown; csrf: string | null; accept: string | null } | undefined;
    server.use(
      http.post(`${base}/${conversation.id}/messages`, async ({ request }) => {
        sent = {
          body: await request.json(),
          csrf: request.headers.get(CSRF_HEADER),
          accept: request.headers.get("accept"),
        };
        setMessages(stored);
        return eventStream([
          { event: "tool_call", data: call },
          {
            event: "tool_result",
            data: {
              toolCallId: "call_1",
              name: "list_failing_controls",
              isError: false,
              summary: "1 failing control between 2025-05-01 and 2025-06-01",
              citations,
              hasDraftFlow: false,
            },
          },
          { event: "delta", data: { text: "Backups succeed failed: " } },
          { event: "delta", data: { text: "item-2 failed." } },
          { event: "done", data: { messages: stored, citations } },
        ]);
      }),
    );
    const { user } = renderApp(`/assistants/${assistant.id}?conversation=${conversation.id}`, {
      me: buildMe({ role: "USER" }),
    });

    await user.type(await screen.findByLabelText("Message"), "Which controls failed last month and why?");
    await user.click(screen.getByRole("button", { name: "Send" }));

    const answer = await screen.findByText("Backups succeed failed: item-2 failed.");
    expect(sent).toEqual({
      body: { content: "Which controls failed last month and why?" },
      csrf: "csrf-123",
      accept: "text/event-stream, application/problem+json",
    });
    const steps = screen.getByRole("list", { name: "Tool steps" });
    expect(steps).toHaveTextContent(/List failing controls.*done.*1 failing control between 2025-05-01 and 2025-06-01/);
    const bubble = answer.parentElement!;
    const sources = within(bubble).getByLabelText("Sources");
    expect(within(sources).getByRole("link", { name: "Backups succeed" })).toHaveAttribute(
      "href",
      `/catalogs/${control.catalogId}/controls/${control.id}`,
    );
    expect(within(sources).getByRole("link", { name: "Evidence of Backups succeed, 2025-05-01" })).toHaveAttribute(
      "href",
      `/catalogs/${control.catalogId}/controls/${control.id}?computation=${computation.id}`,
    );
  }, 15_000);

  it("shows the steps and text as they arrive, and the problem when the stream fails midway", async () => {
    const { conversation } = conversationHandlers();
    server.use(
      http.post(`${base}/${conversation.id}/messages`, () =>
        eventStream([
          { event: "tool_call", data: { id: "call_9", name: "draft_node_red_flow", arguments: '{"name":"MFA"}' } },
          {
            event: "tool_result",
            data: {
              toolCallId: "call_9",
              name: "draft_node_red_flow",
              isError: true,
              summary: "draft_node_red_flow refused: needs DEVELOPER",
              citations: { controls: [], computations: [], documents: [] },
              hasDraftFlow: false,
            },
          },
          { event: "delta", data: { text: "I cannot draft flows for you" } },
          {
            event: "error",
            data: {
              type: "https://status.example/problems/ai_unavailable",
              title: "AI service unavailable",
              status: 503,
              code: "ai_unavailable",
              detail: "The connection to the AI server broke in the middle of the answer; try again",
            },
          },
        ]),
      ),
    );
    const { user } = renderApp(`/assistants/${assistant.id}?conversation=${conversation.id}`, {
      me: buildMe({ role: "USER" }),
    });

    await user.type(await screen.findByLabelText("Message"), "Draft an MFA flow");
    await user.click(screen.getByRole("button", { name: "Send" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("AI service unavailable");
    expect(alert).toHaveTextContent("broke in the middle of the answer");
    expect(screen.getByText("I cannot draft flows for you")).toBeInTheDocument();
    const step = within(screen.getByRole("list", { name: "Tool steps" })).getByRole("listitem");
    expect(step).toHaveTextContent(/Draft a Node-RED flow.*refused or failed.*needs DEVELOPER/);
  });

  it("stops an answer: the request is aborted and the conversation shows what the server stored", async () => {
    const { conversation, setMessages } = conversationHandlers();
    let wasAborted = false;
    server.use(
      http.post(`${base}/${conversation.id}/messages`, ({ request }) => {
        setMessages([buildMessage({ conversationId: conversation.id, role: "user", content: "Tell me everything" })]);
        const encoder = new TextEncoder();
        // One delta, then nothing until the client gives up.
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(
              encoder.encode(`event: delta\ndata: ${JSON.stringify({ text: "Once upon a time" })}\n\n`),
            );
            request.signal.addEventListener("abort", () => {
              wasAborted = true;
              controller.error(new DOMException("aborted", "AbortError"));
            });
          },
        });
        return new HttpResponse(stream, { headers: { "Content-Type": "text/event-stream" } });
      }),
    );
    const { user } = renderApp(`/assistants/${assistant.id}?conversation=${conversation.id}`, {
      me: buildMe({ role: "USER" }),
    });

    await user.type(await screen.findByLabelText("Message"), "Tell me everything");
    await user.click(screen.getByRole("button", { name: "Send" }));
    await screen.findByText("Once upon a time");
    await user.click(screen.getByRole("button", { name: "Stop" }));

    await waitFor(() => expect(screen.queryByText("Once upon a time")).not.toBeInTheDocument());
    expect(wasAborted).toBe(true);
    expect(screen.getAllByText("Tell me everything")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Send" })).toBeInTheDocument();
  });

  it("explains a refused turn, such as the daily limit, with the server's words", async () => {
    const { conversation } = conversationHandlers();
    server.use(
      http.post(`${base}/${conversation.id}/messages`, () =>
        problemResponse({
          status: 429,
          code: "ai_limit_reached",
          title: "Daily AI limit reached",
          detail: "You have used your 200 requests for today; the limit resets at midnight UTC",
        }),
      ),
    );
    const { user } = renderApp(`/assistants/${assistant.id}?conversation=${conversation.id}`, {
      me: buildMe({ role: "USER" }),
    });

    await user.type(await screen.findByLabelText("Message"), "Hello");
    await user.click(screen.getByRole("button", { name: "Send" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Daily AI limit reached");
    expect(alert).toHaveTextContent("resets at midnight UTC");
    expect(screen.getByText("Today (UTC): 3 of 200 requests, 1,200 tokens.")).toBeInTheDocument();
  });

  it("starts conversations from the history, and renames, archives and exports the open one", async () => {
    const created = buildConversation({ assistantId: assistant.id, title: "New conversation" });
    conversationHandlers(created);
    const patches: unknown[] = [];
    server.use(
      http.post(base, () => HttpResponse.json(created, { status: 201 })),
      http.patch(`${base}/${created.id}`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        patches.push(body);
        return HttpResponse.json({ ...created, ...body });
      }),
    );
    const { user, router } = renderApp(`/assistants/${assistant.id}`, { me: buildMe({ role: "USER" }) });

    await user.click(await screen.findByRole("button", { name: "New conversation" }));
    await waitFor(() => expect(currentUrl(router).searchParams.get("conversation")).toBe(created.id));
    const chat = await screen.findByRole("region", { name: "New conversation" });
    expect(within(chat).getByRole("link", { name: "Export Markdown" })).toHaveAttribute(
      "href",
      `${base}/${created.id}/export?format=md`,
    );
    expect(within(chat).getByRole("link", { name: "Export JSON" })).toHaveAttribute(
      "href",
      `${base}/${created.id}/export?format=json`,
    );

    await user.click(within(chat).getByRole("button", { name: "Rename" }));
    const title = within(chat).getByLabelText("Conversation title");
    await user.clear(title);
    await user.type(title, "Backups");
    await user.click(within(chat).getByRole("button", { name: "Save" }));
    await user.click(await within(chat).findByRole("button", { name: "Archive" }));

    await waitFor(() => expect(patches).toEqual([{ title: "Backups" }, { isArchived: true }]));
  }, 15_000);
});
