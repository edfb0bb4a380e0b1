import type { Mashup } from "@status/shared";

export function formatInputDefault(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The declared inputs' defaults as a params object, a starting point for a test call (secrets left out). */
export function defaultParams(mashup: Mashup): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const input of mashup.inputs) {
    if (input.type !== "secret" && input.default !== null && input.default !== undefined)
      params[input.name] = input.default;
  }
  return params;
}
