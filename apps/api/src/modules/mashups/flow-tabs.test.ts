import { describe, expect, it } from "vitest";
import { mashupsFromFlows } from "./flow-tabs.ts";
import type { FlowNode } from "../../node-red/node-red-client.ts";

const tab = (id: string, extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type: "tab",
  label: `Flow ${id}`,
  ...extra,
});
const httpIn = (id: string, z: string, extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type: "http in",
  z,
  url: `/${id}`,
  method: "post",
  ...extra,
});

describe("mashupsFromFlows", () => {
  it("keeps enabled tabs with an enabled http-in node, sorted by name", () => {
    const mashups = mashupsFromFlows([
      tab("b", { label: "Beta", info: "Checks beta" }),
      httpIn("beta", "b"),
      tab("a", { label: "Alpha" }),
      httpIn("alpha", "a"),
      tab("off", { disabled: true }),
      httpIn("off-in", "off"),
      tab("node-off"),
      httpIn("node-off-in", "node-off", { d: true }),
      tab("no-endpoint"),
      { id: "fn", type: "function", z: "no-endpoint" },
      { id: "subflow-in", type: "http in", z: "some-subflow", url: "/sub", method: "post" },
    ]);

    expect(mashups).toEqual([
      {
        id: "a",
        name: "Alpha",
        description: "",
        url: "/alpha",
        method: "POST",
        inputs: [],
        evidence: [],
        evidenceIssues: [],
      },
      {
        id: "b",
        name: "Beta",
        description: "Checks beta",
        url: "/beta",
        method: "POST",
        inputs: [],
        evidence: [],
        evidenceIssues: [],
      },
    ]);
  });

  it("prefers the tab's POST endpoint and adds the leading slash Node-RED tolerates without", () => {
    const [mashup] = mashupsFromFlows([
      tab("t"),
      httpIn("get-in", "t", { method: "get", url: "status" }),
      httpIn("post-in", "t", { url: "evaluate" }),
    ]);

    expect(mashup).toMatchObject({ url: "/evaluate", method: "POST" });
  });

  it("reads declared inputs from the tab's environment, typed, with defaults; secrets never leave Node-RED", () => {
    const [mashup] = mashupsFromFlows([
      tab("t", {
        env: [
          { name: "minApprovals", type: "num", value: "2" },
          { name: "strict", type: "bool", value: "true" },
          { name: "org", type: "str", value: "acme" },
          { name: "repos", type: "json", value: '["api","web"]' },
          { name: "broken", type: "json", value: "{" },
          { name: "token", type: "cred", value: "__PWRD__" },
          { name: "since", type: "jsonata", value: "$now()" },
        ],
      }),
      httpIn("in", "t"),
    ]);

    expect(mashup?.inputs).toEqual([
      { name: "minApprovals", type: "number", default: 2 },
      { name: "strict", type: "boolean", default: true },
      { name: "org", type: "string", default: "acme" },
      { name: "repos", type: "json", default: ["api", "web"] },
      { name: "broken", type: "json", default: null },
      { name: "token", type: "secret", default: null },
      { name: "since", type: "expression", default: "$now()" },
    ]);
  });
});
