import { hasRole, IdSchema } from "@status/shared";
import { z } from "zod";
import { AppError } from "../../../errors.ts";
import { getControl } from "../../controls/index.ts";
import { getMashupFlow } from "../../mashups/index.ts";
import type { FlowNode } from "../../../node-red/node-red-client.ts";
import type { AssistantTool } from "./tool-types.ts";

const MAX_CODE_CHARACTERS = 4_000;
// Layout and bookkeeping fields say nothing about what a node does.
const OMITTED_FIELDS = new Set([
  "x",
  "y",
  "z",
  "w",
  "h",
  "wires",
  "func",
  "initialize",
  "finalize",
  "credentials",
  "env",
  "libs",
  "info",
  "g",
]);

/**
 * A node as the model reads it: type, name, settings and where its output goes. Function code is shown to
 * DEVELOPER and ADMIN only, as only they may open the flow editor; a USER learns what the flow does, not its code.
 */
function describeNode(node: FlowNode, canReadCode: boolean) {
  const settings = Object.fromEntries(
    Object.entries(node).filter(([key, value]) => !OMITTED_FIELDS.has(key) && value !== "" && value !== undefined),
  );
  const wires = Array.isArray(node.wires) ? (node.wires as unknown[][]).flat() : [];
  const code = typeof node.func === "string" ? node.func : undefined;
  return {
    ...settings,
    info: typeof node.info === "string" ? node.info.slice(0, 1000) : undefined,
    sendsTo: wires,
    ...(code === undefined
      ? {}
      : canReadCode
        ? { code: code.slice(0, MAX_CODE_CHARACTERS), isCodeTruncated: code.length > MAX_CODE_CHARACTERS }
        : { code: "(hidden: reading flow code needs the DEVELOPER role)" }),
  };
}

const ParametersSchema = z.strictObject({ controlId: IdSchema.describe("The control whose flow to explain") });

export const explainControlFlowTool: AssistantTool<typeof ParametersSchema> = {
  name: "explain_control_flow",
  access: "USER",
  description:
    "The Node-RED flow (mashup) that evaluates a control: its description, inputs and nodes in order, to explain how the control is checked.",
  parameters: ParametersSchema,
  async run(context, args) {
    const control = await getControl(context.deps, args.controlId);
    const citations = {
      controls: [{ id: control.id, catalogId: control.catalogId, name: control.name }],
      computations: [],
      documents: [],
    };
    if (!control.mashupId)
      throw new AppError(
        409,
        "control_not_runnable",
        "No flow",
        `The control "${control.name}" has no mashup bound yet`,
      );
    const flow = await getMashupFlow(context.deps, control.mashupId);
    const { tab } = flow;
    const canReadCode = hasRole(context.actor.role, "DEVELOPER");
    const nodes = flow.nodes.map((node) => describeNode(node, canReadCode));
    return {
      content: {
        control: {
          id: control.id,
          name: control.name,
          params: control.params,
          threshold: control.threshold,
          period: control.period,
        },
        flow: {
          id: tab.id,
          label: tab.label ?? tab.id,
          info: tab.info ?? "",
          isDisabled: tab.disabled === true,
          inputs: (tab.env ?? []).map((variable) => ({
            name: variable.name,
            type: variable.type,
            default: variable.value,
          })),
        },
        nodes,
      },
      summary: `Flow "${tab.label ?? tab.id}" of ${control.name}: ${nodes.length} nodes`,
      citations,
    };
  },
};
