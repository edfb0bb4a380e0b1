import type { Assistant, ConversationDetail, Message } from "@status/shared";
import { describe, expect, it } from "vitest";
import { conversationToMarkdown, exportFilename } from "./conversation-export.ts";

const assistant = { id: "a", name: "Audit helper", model: null } as unknown as Assistant;
const noCitations = { controls: [], computations: [], documents: [] };
const base = {
  conversationId: "c",
  toolCallId: null,
  toolName: null,
  toolSummary: null,
  isToolError: false,
  citations: noCitations,
  draftFlow: null,
  model: null,
  promptTokens: 0,
  completionTokens: 0,
  createdAt: "2025-06-01T10:00:00.000Z",
  toolCalls: [],
};

function conversation(messages: Partial<Message>[]): ConversationDetail {
  return {
    id: "c",
    assistantId: "a",
    title: "Backups: what failed?",
    isArchived: false,
    messageCount: messages.length,
    createdAt: "2025-06-01T10:00:00.000Z",
    updatedAt: "2025-06-01T10:00:00.000Z",
    messages: messages.map((message, index) => ({ ...base, id: String(index), role: "user", content: "", ...message })),
  };
}

describe("conversationToMarkdown", () => {
  it("writes every message with its author, tool results as JSON, and the answer's sources", () => {
    const markdown = conversationToMarkdown(
      conversation([
        { role: "user", content: "What failed?" },
        { role: "assistant", toolCalls: [{ id: "1", name: "list_failing_controls", arguments: "{}" }] },
        { role: "tool", toolName: "list_failing_controls", toolCallId: "1", content: '{"n":1}' },
        {
          role: "assistant",
          model: "gpt-4o-mini",
          content: "Backups.",
          citations: { ...noCitations, controls: [{ id: "k", catalogId: "g", name: "Backups succeed" }] },
        },
      ]),
      assistant,
      new Date("2025-06-02T00:00:00Z"),
    );

    expect(markdown).toContain("# Backups: what failed?\n\nAssistant: Audit helper");
    expect(markdown).toContain("## You · 2025-06-01 10:00:00 UTC\n\nWhat failed?");
    expect(markdown).toContain("> Calls `list_failing_controls` with `{}`");
    expect(markdown).toContain('### Tool result: list_failing_controls\n\n```json\n{\n  "n": 1\n}\n```');
    expect(markdown).toContain(
      "## Assistant (gpt-4o-mini) · 2025-06-01 10:00:00 UTC\n\nBackups.\n\n**Sources**\n\n- Control: Backups succeed (k)",
    );
  });

  it("fences a tool result longer than any backtick run inside it", () => {
    const markdown = conversationToMarkdown(
      conversation([{ role: "tool", toolName: "t", toolCallId: "1", content: "has ``` inside" }]),
      assistant,
      new Date(),
    );
    expect(markdown).toContain("````json\nhas ``` inside\n````");
  });

  it("names the file after the title", () => {
    expect(exportFilename(conversation([]), "md")).toBe("backups-what-failed.md");
  });
});
