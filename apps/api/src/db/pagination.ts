import type { QueryResultRow } from "pg";
import type { Page } from "@status/shared";
import type { Queryable } from "./database.ts";
import { queryPrepared } from "./prepared.ts";

/**
 * Turns a validated `sort` value (`name` or `-name`) into an ORDER BY clause using a whitelist of columns.
 * The column comes from the map, never from the request, so nothing user-typed reaches the SQL text.
 */
export function orderBy(sort: string, columns: Record<string, string>, tieBreaker = "id"): string {
  const isDescending = sort.startsWith("-");
  const field = isDescending ? sort.slice(1) : sort;
  const column = columns[field];
  if (!column) throw new Error(`Sort field ${field} has no column mapping`);
  const direction = isDescending ? "desc" : "asc";
  return `order by ${column} ${direction} nulls last, ${tieBreaker} ${direction}`;
}

export function offsetOf(page: number, pageSize: number): number {
  return (page - 1) * pageSize;
}

export interface PageQuery {
  /** Select list, with columns aliased to camelCase. */
  select: string;
  /** FROM clause, with any joins. */
  from: string;
  where: WhereBuilder;
  orderBy: string;
  page: number;
  pageSize: number;
  /**
   * The key of `from` when it is one table (e.g. `controls.id`): filter, order and count then run on the bare rows,
   * and `select` (with its per-row subqueries) only for the page's rows, not for every row the count sees.
   */
  pageKey?: string;
  /**
   * Prepare the statement on each connection (see `queryPrepared`): for a list of few, fixed filter combinations on a
   * small table, whose generic plan suits every filter value.
   */
  isPrepared?: boolean;
}

/**
 * Runs one paged query; the total comes from `count(*) over ()` in the same statement. Only a page past the end
 * (no rows to carry the total) costs a second, counting query.
 */
export async function queryPage<Row extends QueryResultRow>(db: Queryable, query: PageQuery): Promise<Page<Row>> {
  const whereSql = query.where.toSql();
  const values = [...query.where.values, query.pageSize, offsetOf(query.page, query.pageSize)];
  const limit = `$${values.length - 1}`;
  const offset = `$${values.length}`;
  const sql = query.pageKey
    ? `select ${query.select}, page.total
         from (select ${query.pageKey} as page_key, count(*) over () as total from ${query.from} ${whereSql}
               ${query.orderBy} limit ${limit} offset ${offset}) page
         join ${query.from} on ${query.pageKey} = page.page_key
        ${query.orderBy}`
    : `select ${query.select}, count(*) over () as total from ${query.from} ${whereSql} ${query.orderBy} limit ${limit} offset ${offset}`;
  const result = query.isPrepared
    ? await queryPrepared<Row & { total: number }>(db, sql, values)
    : await db.query<Row & { total: number }>(sql, values);
  let total = result.rows[0]?.total ?? 0;
  if (result.rows.length === 0 && query.page > 1) {
    const counted = await db.query<{ total: number }>(
      `select count(*) as total from ${query.from} ${whereSql}`,
      query.where.values,
    );
    total = counted.rows[0]?.total ?? 0;
  }
  const items = result.rows.map(({ total: _total, ...row }) => row as unknown as Row);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** Collects AND-ed filter clauses with their positional parameters. */
export class WhereBuilder {
  private readonly clauses: string[] = [];
  readonly values: unknown[] = [];

  /** Adds a clause; `$?` marks where the value goes. Skipped when the value is undefined. */
  add(clause: string, value: unknown): this {
    if (value === undefined) return this;
    this.values.push(value);
    this.clauses.push(clause.replaceAll("$?", `$${this.values.length}`));
    return this;
  }

  /**
   * Adds a clause with several values; `$1?`, `$2?`… mark where each goes. Skipped when `values` is undefined, e.g.
   * `addAll("scopes.name = $1? and v.value #>> '{}' = $2?", [key, value])`.
   */
  addAll(clause: string, values: readonly unknown[] | undefined): this {
    if (values === undefined) return this;
    let sql = clause;
    values.forEach((value, index) => {
      this.values.push(value);
      sql = sql.replaceAll(`$${index + 1}?`, `$${this.values.length}`);
    });
    this.clauses.push(sql);
    return this;
  }

  /** Adds a clause without a value. */
  raw(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  toSql(): string {
    return this.clauses.length ? `where ${this.clauses.join(" and ")}` : "";
  }
}

/** Escapes LIKE wildcards so a search term matches literally. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
