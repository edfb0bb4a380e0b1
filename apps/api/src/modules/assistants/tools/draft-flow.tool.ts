import { randomBytes } from "node:crypto";
import type { FlowDraftNode } from "@status/shared";
import { z } from "zod";
import { emptyCitations, type AssistantTool } from "./tool-types.ts";

// What a mashup answers (see domain/evaluation.ts): {value, evidences: [{key, value, result, from, to}]}.
const TEMPLATE_CODE = `// Input: msg.payload = { from, to, scope, params } (the window and scope being evaluated).
// Output: { value, evidences: [{ key, value, result: true | false, from, to }] }, one evidence per fact checked.
const request = msg.payload || {};
const evidences = [];
// TODO: fetch the facts for request.scope between request.from and request.to and push one evidence per fact.
msg.payload = { value: evidences.every((evidence) => evidence.result === true), evidences };
return msg;`;

const ParametersSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).describe("The flow's name, e.g. the control it checks"),
  path: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,60}$/, "lower-case letters, digits and dashes")
    .describe("The HTTP path of the flow's endpoint, without a slash, e.g. mfa-enabled"),
  description: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .describe("What the control checks, how, and the evidence it records (Markdown)"),
  functionCode: z
    .string()
    .max(20_000)
    .optional()
    .describe(
      "JavaScript of the function node: reads msg.payload {from, to, scope, params} and sets msg.payload to {value, evidences: [{key, value, result, from, to}]}",
    ),
});

function nodeId(): string {
  return randomBytes(8).toString("hex");
}

/** The nodes of a flow in the shape of apps/nodered/flows/examples.json: a tab, http in → function → http response. */
export function buildFlowDraft(input: z.infer<typeof ParametersSchema>): FlowDraftNode[] {
  const [tab, httpIn, fn, response] = [nodeId(), nodeId(), nodeId(), nodeId()];
  return [
    { id: tab, type: "tab", label: input.name, disabled: false, info: input.description, env: [] },
    {
      id: httpIn,
      type: "http in",
      z: tab,
      name: `POST /${input.path}`,
      url: `/${input.path}`,
      method: "post",
      upload: false,
      swaggerDoc: "",
      x: 170,
      y: 100,
      wires: [[fn]],
    },
    {
      id: fn,
      type: "function",
      z: tab,
      name: input.name,
      func: input.functionCode ?? TEMPLATE_CODE,
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: "",
      finalize: "",
      libs: [],
      x: 420,
      y: 100,
      wires: [[response]],
    },
    {
      id: response,
      type: "http response",
      z: tab,
      name: "answer",
      statusCode: "",
      headers: {},
      x: 660,
      y: 100,
      wires: [],
    },
  ];
}

/**
 * Drafts a flow for a described control. The draft is stored on the tool's message for a developer to review and
 * import into Node-RED; the assistant never deploys anything. Drafting is mashup work, hence DEVELOPER.
 */
export const draftNodeRedFlowTool: AssistantTool<typeof ParametersSchema> = {
  name: "draft_node_red_flow",
  access: "DEVELOPER",
  description:
    "Draft a Node-RED flow (http in → function → http response) that evaluates a described control. The draft is shown to the user for review; it is never deployed.",
  parameters: ParametersSchema,
  async run(_context, args) {
    const draftFlow = buildFlowDraft(args);
    return {
      content: {
        status: "drafted, not deployed: a developer must review it and import it into Node-RED",
        nodes: draftFlow.map((node) => ({ id: node.id, type: node.type, name: node.name ?? node.label })),
      },
      summary: `Drafted flow "${args.name}" (${draftFlow.length} nodes) for review`,
      citations: emptyCitations(),
      draftFlow,
    };
  },
};
