import type { Scope, ScopeType, ScopeValue } from "@status/shared";

/**
 * A value typed into an input, as the scope's type reads it: blank is null, numbers and booleans are converted
 * when they can be. Anything else stays text, so the API's validation reports the mismatch on the field.
 */
export function parseScopeValue(text: string, type: ScopeType): ScopeValue | null {
  const value = text.trim();
  if (value === "") return null;
  if (type === "number" && value !== "*" && Number.isFinite(Number(value))) return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Comma-separated allowed values; blank means any value is allowed (null). */
export function parseAllowedValues(text: string, type: ScopeType): ScopeValue[] | null {
  const values = text
    .split(",")
    .map((part) => parseScopeValue(part, type))
    .filter((value): value is ScopeValue => value !== null);
  return values.length === 0 ? null : values;
}

export function formatScopeValue(value: ScopeValue | null): string {
  return value === null ? "" : String(value);
}

export function formatAllowedValues(values: Scope["allowedValues"]): string {
  return values === null ? "" : values.map(String).join(", ");
}
