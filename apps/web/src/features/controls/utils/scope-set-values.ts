import { SCOPE_WILDCARD, type ScopeType, type ScopeValue } from "@status/shared";

/**
 * A typed-in scope value as the scope's type reads it. What cannot be read stays text, so the API's check names
 * the mismatch on its field. (The scopes page reads its default values the same way.)
 */
export function readScopeValue(text: string, type: ScopeType): ScopeValue {
  const value = text.trim();
  if (value === SCOPE_WILDCARD) return value;
  if (type === "number" && value !== "" && Number.isFinite(Number(value))) return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}
