import { EVIDENCE_DECLARATION_VARIABLE, type Mashup, type MashupInput, type MashupInputType } from "@status/shared";
import type { FlowNode } from "../../node-red/node-red-client.ts";
import { readEvidenceDeclaration } from "./evidence-declaration.ts";

const INPUT_TYPES: Record<string, MashupInputType> = {
  str: "string",
  num: "number",
  bool: "boolean",
  json: "json",
  cred: "secret",
  env: "expression",
  jsonata: "expression",
};
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * The mashups among Node-RED's flows: every enabled tab with an enabled `http in` node. A tab with several takes
 * its first POST endpoint (STATUS posts to mashups), else its first one. Sorted by name, then id. Its evidence
 * declaration (the STATUS_EVIDENCE variable) is read and validated here; a bad one is reported, not thrown.
 */
export function mashupsFromFlows(nodes: readonly FlowNode[]): Mashup[] {
  const endpoints = new Map<string, FlowNode[]>();
  for (const node of nodes) {
    if (node.type !== "http in" || node.d === true || !node.z || typeof node.url !== "string") continue;
    endpoints.set(node.z, [...(endpoints.get(node.z) ?? []), node]);
  }
  const mashups: Mashup[] = [];
  for (const tab of nodes) {
    if (tab.type !== "tab" || tab.disabled === true) continue;
    const candidates = (endpoints.get(tab.id) ?? []).filter((node) => METHODS.has(methodOf(node)));
    const endpoint = candidates.find((node) => methodOf(node) === "POST") ?? candidates[0];
    if (!endpoint) continue;
    const variables = tab.env ?? [];
    // The evidence declaration is an output of the flow, not an input a control could override.
    const inputs = variables.filter((variable) => variable.name !== EVIDENCE_DECLARATION_VARIABLE).map(inputOf);
    const declared = readEvidenceDeclaration(
      variables.find((variable) => variable.name === EVIDENCE_DECLARATION_VARIABLE),
      inputs,
    );
    mashups.push({
      id: tab.id,
      name: tab.label || tab.id,
      description: tab.info ?? "",
      url: normalisePath(endpoint.url as string),
      method: methodOf(endpoint) as Mashup["method"],
      inputs,
      evidence: declared.evidence,
      evidenceIssues: declared.issues,
    });
  }
  return mashups.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function methodOf(node: FlowNode): string {
  return String(node.method ?? "get").toUpperCase();
}

function normalisePath(url: string): string {
  return url.startsWith("/") ? url : `/${url}`;
}

/** A flow environment variable as a declared input; Node-RED keeps every value as a string. */
function inputOf(variable: { name: string; type?: string; value?: unknown }): MashupInput {
  const type = INPUT_TYPES[variable.type ?? "str"] ?? "string";
  return { name: variable.name, type, default: defaultOf(type, variable.value) };
}

function defaultOf(type: MashupInputType, value: unknown): unknown {
  if (type === "secret" || value === undefined) return null;
  if (type === "number") return value === "" || !Number.isFinite(Number(value)) ? null : Number(value);
  if (type === "boolean") return value === true || value === "true";
  if (type !== "json" || typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
