/** A `${NAME:?message}` (or `${NAME?message}`) whose variable is not set: Compose stops with the message. */
export interface MissingVariable {
  name: string;
  message: string;
}

export interface Interpolated {
  text: string;
  missing: MissingVariable[];
  /** Every variable the text refers to, set or not. */
  referenced: string[];
}

// `${NAME}`, `${NAME<operator><operand>}` (no nesting: the compose files use none) or `$NAME`.
const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The value of one reference, or undefined when a required variable is not set. */
function resolveReference(
  value: string | undefined,
  operator: string | undefined,
  operand: string,
): string | undefined {
  const isSet = value !== undefined;
  const isSetAndNotEmpty = isSet && value !== "";
  switch (operator) {
    case ":-":
      return isSetAndNotEmpty ? value : operand;
    case "-":
      return isSet ? value : operand;
    case ":+":
      return isSetAndNotEmpty ? operand : "";
    case "+":
      return isSet ? operand : "";
    case ":?":
      return isSetAndNotEmpty ? value : undefined;
    case "?":
      return isSet ? value : undefined;
    default:
      return value ?? "";
  }
}

/**
 * Compose's interpolation of a compose file's text with an environment (the shell and .env): `${NAME}` and `$NAME`,
 * `${NAME:-default}` (unset or empty), `${NAME-default}` (unset), `${NAME:?message}` / `${NAME?message}` (required),
 * `${NAME:+other}` / `${NAME+other}` (set), and `$$` for a literal dollar. Comment lines are left as they are: Compose
 * parses the YAML first and interpolates values only.
 */
export function interpolateCompose(text: string, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const missing: MissingVariable[] = [];
  const referenced = new Set<string>();
  const expandPart = (part: string) =>
    part.replace(REFERENCE, (_all, braced?: string, operator?: string, operand: string = "", bare?: string) => {
      const name = (braced ?? bare)!;
      referenced.add(name);
      const value = resolveReference(env[name], operator, operand);
      if (value !== undefined) return value;
      missing.push({ name, message: operand || `required variable ${name} is missing a value` });
      return "";
    });
  const expandLine = (line: string) => (/^\s*#/.test(line) ? line : line.split("$$").map(expandPart).join("$"));
  const expanded = text.split("\n").map(expandLine).join("\n");
  return { text: expanded, missing: dedupe(missing), referenced: [...referenced] };
}

function dedupe(missing: MissingVariable[]): MissingVariable[] {
  const seen = new Map<string, MissingVariable>();
  for (const item of missing) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

/**
 * The `${NAME:-default}` defaults of a compose text, by name: in the development file they are the development
 * passwords, which a production .env must not reuse.
 */
export function composeDefaults(text: string): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const match of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]+)\}/g))
    defaults.set(match[1]!, match[2]!);
  return defaults;
}
