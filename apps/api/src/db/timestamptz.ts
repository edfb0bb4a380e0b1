/**
 * SQL: the text of a timestamptz expression in the contracts' ISO form, formatted by Postgres — UTC, milliseconds
 * with the rest of the fraction dropped (what `isoOfTimestamptz` answers), or microseconds with `"US"` (an archive's
 * instant). `expression` is always a literal column or expression of the statement, never input.
 */
export function isoTextSql(expression: string, fraction: "MS" | "US" = "MS"): string {
  return `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${fraction}"Z"')`;
}

/**
 * A `timestamptz` as Postgres sends it (DateStyle ISO), e.g. `2026-12-07 09:12:07.732123+00`, in the ISO 8601 form the
 * contracts use: `2026-12-07T09:12:07.732Z`, exactly what `new Date(text).toISOString()` answers (milliseconds,
 * the rest of the fraction dropped).
 *
 * Every timestamp of every row goes through here (a page of 50 controls holds 200), and parsing each into a Date only
 * to print it again was a visible part of what a list cost the API. A session in UTC (the usual server setting) sends
 * `+00`: that text is rearranged as it is. Anything else (another offset, a year past 9999, BC, infinity) takes the
 * Date round trip as before.
 */
export function isoOfTimestamptz(text: string): string {
  const length = text.length;
  if (
    length >= 22 &&
    text.charCodeAt(4) === DASH &&
    text.charCodeAt(10) === SPACE &&
    text.charCodeAt(length - 3) === PLUS &&
    text.charCodeAt(length - 2) === ZERO &&
    text.charCodeAt(length - 1) === ZERO
  ) {
    // `YYYY-MM-DD HH:MM:SS` then an optional fraction (1 to 6 digits, trailing zeros dropped) and `+00`.
    if (length === 22) return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
    if (text.charCodeAt(19) === DOT && length <= 29) {
      const fraction = length >= 26 ? text.slice(20, 23) : `${text.slice(20, length - 3)}00`.slice(0, 3);
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
    }
  }
  return new Date(text).toISOString();
}

const DASH = 45;
const SPACE = 32;
const PLUS = 43;
const ZERO = 48;
const DOT = 46;
