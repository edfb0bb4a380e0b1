import type { Assistant, KnowledgeHit, Role } from "@status/shared";

const MAX_KNOWLEDGE_CHARACTERS = 6_000;

/**
 * The system message of every turn: the assistant's own instructions, then the rules of the platform, then the
 * knowledge-base passages that match the user's question (retrieved by full-text search).
 */
export function buildSystemPrompt(input: {
  assistant: Assistant;
  role: Role;
  now: Date;
  knowledge: KnowledgeHit[];
  toolNames: string[];
}): string {
  const parts = [
    input.assistant.instructions || `You are ${input.assistant.name}, an assistant for compliance work.`,
    [
      "You work inside STATUS, a continuous-compliance platform: catalogs group controls; each control is evaluated per period window by a Node-RED flow (mashup) that records evidences; a window passes when its compliance reaches the control's threshold.",
      `Now is ${input.now.toISOString()} (UTC). Turn relative periods such as "last month" into exact ISO 8601 dates (a calendar month runs from its first day 00:00Z to the next month's first day).`,
      input.toolNames.length > 0
        ? `Use the tools (${input.toolNames.join(", ")}) to read the data; never invent controls, results or evidence. Cite every control (name and id) and computation you rely on.`
        : "You have no tools to read compliance data in this conversation; say so when asked for it.",
      "You cannot change a control's result, run evaluations or deploy flows. A drafted flow is only a proposal for a developer to review.",
      `The user has the ${input.role} role; a tool that refuses for lack of permission means the user may not see that data.`,
    ].join("\n"),
  ];
  const knowledge = knowledgeSection(input.knowledge);
  if (knowledge) parts.push(knowledge);
  return parts.join("\n\n");
}

function knowledgeSection(hits: KnowledgeHit[]): string | undefined {
  if (hits.length === 0) return undefined;
  let budget = MAX_KNOWLEDGE_CHARACTERS;
  const passages: string[] = [];
  for (const hit of hits) {
    if (budget <= 0) break;
    const content = hit.content.slice(0, budget);
    budget -= content.length;
    passages.push(`[${hit.filename} #${hit.chunkIndex + 1}]\n${content}`);
  }
  return `Passages from the assistant's knowledge base that may help (cite the file name when you use one):\n\n${passages.join("\n\n")}`;
}
