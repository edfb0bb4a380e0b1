import { createHash } from "node:crypto";
import type pg from "pg";

/** `Queryable` of database.ts, spelt out here: database.ts registers its pools with this module, not the reverse. */
interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>>;
}

/**
 * The pools (and their clients) whose connections may keep prepared statements: those of a Postgres server.
 * PGlite's socket server gives all its connections one backend, where a reconnected client would prepare a name the
 * backend already holds, so the embedded database is never registered and runs every statement unnamed.
 */
const preparable = new WeakSet<object>();

export function allowPreparedStatements(pool: pg.Pool): void {
  preparable.add(pool);
  pool.on("connect", (client) => preparable.add(client));
}

const names = new Map<string, string>();

/** A statement's name: its text's digest, so one name is never given two texts (pg refuses that). */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `s_${createHash("sha1").update(text).digest("base64url")}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a hot statement of fixed text (the routes every request takes: a control by id, a credential check, an
 * insert) as a prepared statement on each connection, so Postgres parses it once per connection and, once its
 * generic plan is as good as a custom one (after five runs), plans it no more: planning, not execution, is most of
 * what such a statement costs the server. Only for texts that are few and fixed (never built from a list's filters,
 * whose generic plan could suit one filter value badly and whose texts are many).
 */
export function queryPrepared<Row extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<Row>> {
  if (!preparable.has(db)) return db.query<Row>(text, values);
  return (db as pg.Pool).query<Row>({ name: nameOf(text), text, values });
}
