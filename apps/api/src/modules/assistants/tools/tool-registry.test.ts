import { describe, expect, it } from "vitest";
import { buildFlowDraft } from "./draft-flow.tool.ts";
import { toolDefinitions, toolsFor } from "./tool-registry.ts";

describe("assistant tools", () => {
  const all = [
    "list_failing_controls",
    "get_control_evidence",
    "get_catalog_compliance",
    "explain_control_flow",
    "draft_node_red_flow",
    "search_knowledge_base",
  ] as const;

  it("offers a USER every enabled tool but drafting flows, and a DEVELOPER all of them", () => {
    expect(toolsFor(all, "USER").map((tool) => tool.name)).toEqual(
      all.filter((name) => name !== "draft_node_red_flow"),
    );
    expect(toolsFor(all, "DEVELOPER").map((tool) => tool.name)).toEqual([...all]);
    expect(toolsFor(["get_control_evidence"], "ADMIN").map((tool) => tool.name)).toEqual(["get_control_evidence"]);
  });

  it("describes the parameters as JSON Schema objects generated from the argument schemas", () => {
    const [definition] = toolDefinitions(toolsFor(["get_control_evidence"], "USER"));
    expect(definition).toMatchObject({
      type: "function",
      function: {
        name: "get_control_evidence",
        parameters: { type: "object", required: ["controlId"], additionalProperties: false },
      },
    });
    expect(JSON.stringify(definition)).not.toContain("$schema");
  });

  it("drafts a flow in the shape Node-RED imports: a tab, http in → function → http response", () => {
    const nodes = buildFlowDraft({ name: "MFA", path: "mfa", description: "MFA on" });
    const [tab, httpIn, fn, response] = nodes;
    expect(nodes.map((node) => node.type)).toEqual(["tab", "http in", "function", "http response"]);
    expect(nodes.slice(1).every((node) => node.z === tab!.id)).toBe(true);
    expect(httpIn).toMatchObject({ url: "/mfa", method: "post", wires: [[fn!.id]] });
    expect(fn).toMatchObject({ wires: [[response!.id]] });
    expect(String(fn!.func)).toContain("evidences");
  });
});
