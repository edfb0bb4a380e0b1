import type { AssistantToolName, Citations, FlowDraftNode, Role } from "@status/shared";
import type { z } from "zod";
import type { AppDeps } from "../../../deps.ts";
import type { Actor } from "../../../domain/actor.ts";

/** What a tool runs with: the app's services and the user who asked, whose role bounds what the tool may read. */
export interface ToolContext {
  deps: AppDeps;
  actor: Actor;
  assistantId: string;
}

/** A tool's answer: JSON for the model, a one-line summary for the chat view, and what it read (for citations). */
export interface ToolOutcome {
  content: unknown;
  summary: string;
  citations: Citations;
  draftFlow?: FlowDraftNode[];
}

/**
 * A function the model may call. `access` is the role of the API route that reads the same data, so the assistant
 * never shows a user more than the API would; the arguments are parsed with `parameters` like any request input.
 */
export interface AssistantTool<Schema extends z.ZodType = z.ZodType> {
  name: AssistantToolName;
  access: Role;
  description: string;
  parameters: Schema;
  run(context: ToolContext, args: z.infer<Schema>): Promise<ToolOutcome>;
}

export function emptyCitations(): Citations {
  return { controls: [], computations: [], documents: [] };
}

/** The union of several citation lists, each item once. */
export function mergeCitations(lists: Citations[]): Citations {
  const unique = <T extends { id: string }>(items: T[]) => [...new Map(items.map((item) => [item.id, item])).values()];
  return {
    controls: unique(lists.flatMap((list) => list.controls)),
    computations: unique(lists.flatMap((list) => list.computations)),
    documents: unique(lists.flatMap((list) => list.documents)),
  };
}

/** The default period of the data tools: the 30 days before now. */
export function defaultPeriod(now: Date, from?: string, to?: string): { from: string; to: string } {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - 30 * 86_400_000);
  return { from: start.toISOString(), to: end.toISOString() };
}
