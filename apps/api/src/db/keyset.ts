import { ValidationError } from "../errors.ts";
import type { Queryable } from "./database.ts";
import type { WhereBuilder } from "./pagination.ts";

/**
 * Keyset (cursor) paging: a page continues after the last row of the one before, found through the sort's index,
 * so page 1000 costs what page 1 costs. The cursor is opaque to clients: base64url of the sort it was made under
 * and the last row's sort values, checked when it comes back.
 */
export function encodeCursor(sort: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([sort, ...values])).toString("base64url");
}

/** The last row's sort values, or a 400 when the cursor is not one of ours or was made under another sort. */
export function decodeCursor(cursor: string, sort: string, arity: number): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const isValid =
    Array.isArray(decoded) &&
    decoded.length === arity + 1 &&
    decoded[0] === sort &&
    decoded.slice(1).every((value) => typeof value === "string" || typeof value === "number");
  if (!isValid) {
    throw new ValidationError([
      { path: "query.cursor", message: "Not a cursor of this list and sort: pass the nextCursor of its previous page" },
    ]);
  }
  return (decoded as unknown[]).slice(1).map(String);
}

/** A total counted exactly up to `cap`, and past it the planner's row estimate (never less than cap + 1). */
export interface CappedTotal {
  total: number;
  totalIsEstimate: boolean;
}

/**
 * Counts the rows of `from where …` up to `cap` + 1 (an index scan that stops there, instead of `count(*) over ()`
 * reading every match), and estimates past it from EXPLAIN, which costs no scan at all.
 */
export async function cappedTotal(db: Queryable, from: string, where: WhereBuilder, cap: number): Promise<CappedTotal> {
  const whereSql = where.toSql();
  const values = [...where.values, cap + 1];
  const counted = await db.query<{ count: number }>(
    `select count(*)::int as count from (select 1 from ${from} ${whereSql} limit $${values.length}) x`,
    values,
  );
  return cappedTotalOfCount(db, counted.rows[0]?.count ?? 0, from, where, cap);
}

/**
 * The capped total of `from where …` from its rows counted up to `cap` + 1 (e.g. by `cappedCountSql` in the page's
 * own statement): exact up to `cap`, the planner's estimate past it.
 */
export async function cappedTotalOfCount(
  db: Queryable,
  count: number,
  from: string,
  where: WhereBuilder,
  cap: number,
): Promise<CappedTotal> {
  if (count <= cap) return { total: count, totalIsEstimate: false };
  return { total: Math.max(cap + 1, await plannedRowCount(db, from, where)), totalIsEstimate: true };
}

/**
 * A scalar subquery counting the rows of `from where …` up to the row count in parameter `limitParam` (cap + 1):
 * put in a page's select list it is run once (an InitPlan), in the page's snapshot, and saves the count's round trip.
 * `where` must number its values as the page statement does (the same filters, first).
 */
export function cappedCountSql(from: string, where: WhereBuilder, limitParam: string): string {
  return `(select count(*)::int from (select 1 from ${from} ${where.toSql()} limit ${limitParam}) capped)`;
}

/** The planner's estimate of the rows of `from where …`, from EXPLAIN: no scan at all. */
export async function plannedRowCount(db: Queryable, from: string, where: WhereBuilder): Promise<number> {
  const plan = await db.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    `explain (format json) select 1 from ${from} ${where.toSql()}`,
    where.values,
  );
  return Math.round(plan.rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
}
