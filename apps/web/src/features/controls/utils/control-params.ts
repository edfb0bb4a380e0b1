import type { MashupInput } from "@status/shared";

/** What a declared input's field holds: text; blank means "use the flow's default". */
export type InputTexts = Record<string, string>;

/** The declared inputs a control can set: secrets live in Node-RED's credentials and are never sent. */
export function settableInputs(inputs: readonly MashupInput[]): MashupInput[] {
  return inputs.filter((input) => input.type !== "secret");
}

/** A declared input's value as its field shows it. */
export function formatParamValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The field text as the input's type reads it, or an error message. */
export function parseParamValue(text: string, input: MashupInput): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  if (input.type === "number") {
    const value = Number(trimmed);
    return Number.isFinite(value) ? { value } : { error: "Enter a number" };
  }
  if (input.type === "boolean") {
    if (trimmed === "true" || trimmed === "false") return { value: trimmed === "true" };
    return { error: "Choose true or false" };
  }
  if (input.type === "json") {
    try {
      return { value: JSON.parse(trimmed) as unknown };
    } catch {
      return { error: "Enter valid JSON" };
    }
  }
  return { value: text };
}

/** Splits stored params into the declared inputs' field texts and the rest, as a JSON object text. */
export function splitParams(
  params: Record<string, unknown>,
  inputs: readonly MashupInput[],
): { texts: InputTexts; extra: string } {
  const declared = new Set(settableInputs(inputs).map((input) => input.name));
  const texts: InputTexts = {};
  const extra: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (declared.has(name)) texts[name] = formatParamValue(value);
    else extra[name] = value;
  }
  return { texts, extra: Object.keys(extra).length === 0 ? "" : JSON.stringify(extra, null, 2) };
}
