import type { Assistant, ConversationDetail, Message } from "@status/shared";

function heading(message: Message): string {
  const at = message.createdAt.replace("T", " ").slice(0, 19);
  if (message.role === "user") return `## You · ${at} UTC`;
  if (message.role === "assistant")
    return `## ${message.model ? `Assistant (${message.model})` : "Assistant"} · ${at} UTC`;
  const summary = message.toolSummary ? ` — ${message.toolSummary}` : "";
  return `### Tool result: ${message.toolName ?? "tool"}${message.isToolError ? " (refused or failed)" : ""}${summary}`;
}

/** A fence longer than any run of backticks in the text, so pasted code cannot end the block early. */
function fenced(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function sources(message: Message): string[] {
  const { controls, computations, documents } = message.citations;
  const lines = [
    ...controls.map((control) => `- Control: ${control.name} (${control.id})`),
    ...computations.map(
      (computation) =>
        `- Computation ${computation.id} of control ${computation.controlId}, window ${computation.windowStart} – ${computation.windowEnd}`,
    ),
    ...documents.map((document) => `- Document: ${document.filename}`),
  ];
  return lines.length > 0 ? ["", "**Sources**", "", ...lines] : [];
}

function messageBlock(message: Message): string {
  const lines = [heading(message), ""];
  if (message.role === "tool") lines.push(fenced(prettyJson(message.content), "json"));
  else if (message.content) lines.push(message.content);
  for (const call of message.toolCalls)
    lines.push("", `> Calls \`${call.name}\` with \`${call.arguments.replace(/`/g, "'")}\``);
  if (message.draftFlow)
    lines.push(
      "",
      "Drafted Node-RED flow (not deployed; review before importing):",
      "",
      fenced(JSON.stringify(message.draftFlow, null, 2), "json"),
    );
  if (message.role === "assistant" && message.toolCalls.length === 0) lines.push(...sources(message));
  return lines.join("\n");
}

/** The conversation as a Markdown document: every message, tool call and result, and the sources of each answer. */
export function conversationToMarkdown(
  conversation: ConversationDetail,
  assistant: Assistant,
  exportedAt: Date,
): string {
  const header = [
    `# ${conversation.title}`,
    "",
    `Assistant: ${assistant.name} · started ${conversation.createdAt} · exported ${exportedAt.toISOString()}`,
  ];
  return [...header, ...conversation.messages.map((message) => `\n${messageBlock(message)}`)].join("\n") + "\n";
}

/** The conversation as JSON: the stored messages as the API returns them, with the assistant they were sent to. */
export function conversationToJson(conversation: ConversationDetail, assistant: Assistant, exportedAt: Date) {
  return {
    exportedAt: exportedAt.toISOString(),
    assistant: { id: assistant.id, name: assistant.name, model: assistant.model },
    conversation,
  };
}

/** A file name for the download: the title reduced to safe characters. */
export function exportFilename(conversation: ConversationDetail, extension: "md" | "json"): string {
  const slug =
    conversation.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "conversation";
  return `${slug}.${extension}`;
}
