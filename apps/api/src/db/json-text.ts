/**
 * SQL expressions that render a row as the compact JSON text `JSON.stringify` writes for the value the API answers
 * today, so a list can be answered with Postgres's text as its body: no row parsing, mapping or stringifying in Node.
 * `json_build_object` cannot be used for that: it writes `"key" : value` with spaces, and jsonb reorders the keys.
 *
 * Each helper answers a `text` expression that is never null (SQL null becomes `null`). `to_json` escapes strings as
 * `JSON.stringify` does (the quote, the backslash, \b \f \n \r \t and other control characters as lowercase \u00xx;
 * everything else, unicode included, as it is).
 */

import { isoTextSql } from "./timestamptz.ts";

/** A free text, as a JSON string. */
export function jsonText(expression: string): string {
  return `coalesce(to_json(${expression})::text, 'null')`;
}

/**
 * A value whose text has nothing JSON escapes (a uuid, a code its check constraint limits to letters), as a string.
 */
export function jsonPlainText(expression: string): string {
  return `coalesce('"' || ${expression} || '"', 'null')`;
}

/** An integer, or a numeric as the number `Number(text)` gives: `trim_scale` drops the zeros numeric(p, s) keeps. */
export function jsonNumber(expression: string, type: "integer" | "numeric" = "integer"): string {
  return `coalesce(${type === "numeric" ? `trim_scale(${expression})` : expression}::text, 'null')`;
}

/**
 * A timestamptz in the API's ISO form (`isoOfTimestamptz`): UTC, milliseconds with the rest of the fraction dropped
 * (to_char's MS truncates, as the parser does), `Z`.
 */
export function jsonIso(expression: string, fraction: "MS" | "US" = "MS"): string {
  return `coalesce('"' || ${isoTextSql(expression, fraction)} || '"', 'null')`;
}

/**
 * The members `"key":value,…` (no braces) of an object whose values are JSON text expressions, in this order. Joined
 * with `||`: `concat` looks up the output function of every argument at every call, which measured no cheaper.
 */
export function jsonMembers(members: ReadonlyArray<readonly [key: string, value: string]>): string {
  return members
    .map(([key, value], index) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`jsonMembers takes plain keys, not ${key}`);
      return `'${index === 0 ? "" : ","}"${key}":' || ${value}`;
    })
    .join(" || ");
}

/** An object of JSON text expressions, in this key order. */
export function jsonObject(members: ReadonlyArray<readonly [key: string, value: string]>): string {
  return `'{' || ${jsonMembers(members)} || '}'`;
}

/** An array of the JSON text `element` over the rows of `from` (an SQL tail: from … where …), `[]` for none. */
export function jsonArray(element: string, from: string, order: string): string {
  return `coalesce((select '[' || string_agg(${element}, ',' ${order}) || ']' ${from}), '[]')`;
}
