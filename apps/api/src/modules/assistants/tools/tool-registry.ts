import { hasRole, type AssistantToolName, type Role, type ToolCall } from "@status/shared";
import type OpenAI from "openai";
import { z } from "zod";
import { AppError } from "../../../errors.ts";
import { getCatalogComplianceTool } from "./catalog-compliance.tool.ts";
import { getControlEvidenceTool } from "./control-evidence.tool.ts";
import { draftNodeRedFlowTool } from "./draft-flow.tool.ts";
import { explainControlFlowTool } from "./explain-flow.tool.ts";
import { listFailingControlsTool } from "./failing-controls.tool.ts";
import { searchKnowledgeBaseTool } from "./knowledge-search.tool.ts";
import { emptyCitations, type AssistantTool, type ToolContext, type ToolOutcome } from "./tool-types.ts";

const TOOLS: Record<AssistantToolName, AssistantTool> = {
  list_failing_controls: listFailingControlsTool,
  get_control_evidence: getControlEvidenceTool,
  get_catalog_compliance: getCatalogComplianceTool,
  explain_control_flow: explainControlFlowTool,
  draft_node_red_flow: draftNodeRedFlowTool,
  search_knowledge_base: searchKnowledgeBaseTool,
};

/** The tools an assistant offers a user: enabled on the assistant and allowed to the user's role. */
export function toolsFor(enabled: readonly AssistantToolName[], role: Role): AssistantTool[] {
  return enabled.map((name) => TOOLS[name]).filter((tool) => hasRole(role, tool.access));
}

/** The `tools` of a Chat Completions request; the JSON schemas come from the same zod schemas that parse arguments. */
export function toolDefinitions(tools: AssistantTool[]): OpenAI.Chat.Completions.ChatCompletionFunctionTool[] {
  return tools.map((tool) => {
    const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<
      string,
      unknown
    >;
    return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
  });
}

export interface ToolExecution extends ToolOutcome {
  isError: boolean;
}

function failure(summary: string, detail: Record<string, unknown>): ToolExecution {
  return { isError: true, content: { error: detail }, summary, citations: emptyCitations() };
}

function parseArguments(text: string): unknown {
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Runs one tool call for the asking user. What the model may not do or got wrong (a tool not offered, a role too
 * low, bad arguments, a control that does not exist) becomes an error result the model can read and explain; the
 * call is re-checked here, since a model can name any tool whatever it was offered.
 */
export async function executeToolCall(
  context: ToolContext,
  enabled: readonly AssistantToolName[],
  call: ToolCall,
): Promise<ToolExecution> {
  const tool = Object.hasOwn(TOOLS, call.name) ? TOOLS[call.name as AssistantToolName] : undefined;
  if (!tool || !enabled.includes(tool.name))
    return failure(`Unknown tool ${call.name}`, {
      code: "unknown_tool",
      message: `This assistant has no tool named ${call.name}`,
    });
  if (!hasRole(context.actor.role, tool.access)) {
    return failure(`${tool.name} refused: needs ${tool.access}`, {
      code: "forbidden",
      message: `The user's role (${context.actor.role}) does not allow ${tool.name}; it needs ${tool.access}`,
    });
  }
  const parsed = tool.parameters.safeParse(parseArguments(call.arguments));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    return failure(`${tool.name}: invalid arguments`, {
      code: "invalid_arguments",
      message: "The arguments do not match the tool's parameters",
      issues,
    });
  }
  try {
    return { ...(await tool.run(context, parsed.data)), isError: false };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return failure(`${tool.name}: ${error.message}`, { code: error.code, message: error.message });
  }
}
