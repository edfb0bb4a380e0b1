import { z } from "zod";

/** A list query schema: one field per URL parameter. */
export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * Reads the keys of `schema` from the URL. Each key is parsed on its own, so one bad value falls back to its
 * default instead of discarding the whole query, and unrelated parameters are ignored.
 */
export function parseSearchParams<S extends ObjectSchema>(schema: S, params: URLSearchParams): z.output<S> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const raw = params.get(key);
    const parsed = z.safeParse(field, raw === null || raw === "" ? undefined : raw);
    result[key] = parsed.success ? parsed.data : z.safeParse(field, undefined).data;
  }
  return result as z.output<S>;
}

/**
 * Writes `changes` into a copy of `params`. Values equal to the schema default are removed so URLs stay short,
 * and any change other than the page itself returns to page 1.
 */
export function mergeSearchParams<S extends ObjectSchema>(
  schema: S,
  params: URLSearchParams,
  changes: Partial<z.output<S>>,
): URLSearchParams {
  const defaults = parseSearchParams(schema, new URLSearchParams()) as Record<string, unknown>;
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "" || value === defaults[key]) next.delete(key);
    else next.set(key, String(value));
  }
  if (!("page" in changes)) next.delete("page");
  return next;
}

/** Query parameters for axios: undefined and blank values left out. */
export function toRequestParams(query: Record<string, unknown>): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === "number" || (typeof value === "string" && value !== "")) params[key] = value;
  }
  return params;
}

/**
 * Writes single parameters into a copy of `params` without touching the others (no return to page 1), for state
 * that is not part of a list query, such as which row is expanded. Undefined and blank values are removed.
 */
export function patchSearchParams(
  params: URLSearchParams,
  changes: Record<string, string | number | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "") next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}
