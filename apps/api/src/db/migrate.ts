import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { apiRoot } from "../lib/api-root.ts";
import type { Logger } from "../logger.ts";
import { checkOut, type Queryable } from "./database.ts";

export const MIGRATIONS_DIR = path.join(apiRoot(path.dirname(fileURLToPath(import.meta.url))), "migrations");

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 726_353_001;

/**
 * Applies the numbered `.sql` files not yet recorded in `schema_migrations`, each in its own transaction, under an
 * advisory lock so two processes starting together cannot both migrate. Forward-only: there are no down migrations.
 */
export async function runMigrations(pool: pg.Pool, log: Logger, directory = MIGRATIONS_DIR): Promise<string[]> {
  const { client, release } = await checkOut(pool);
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(
      "create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())",
    );
    const applied = new Set(
      (await client.query<{ name: string }>("select name from schema_migrations")).rows.map((row) => row.name),
    );
    const files = (await readdir(directory)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
    const pending = files.filter((file) => !applied.has(file));
    for (const file of pending) {
      const sql = await readFile(path.join(directory, file), "utf8");
      await client.query("begin");
      try {
        await client.query(sql);
        await client.query("insert into schema_migrations (name) values ($1)", [file]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      log.info({ migration: file }, "applied migration");
    }
    return pending;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    release();
  }
}

/** The migration files of `directory` this database has not applied (all of them when it was never migrated). */
export async function listPendingMigrations(db: Queryable, directory = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(directory)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  const applied = await db
    .query<{ name: string }>("select name from schema_migrations")
    .catch(() => ({ rows: [] as { name: string }[] }));
  const names = new Set(applied.rows.map((row) => row.name));
  return files.filter((file) => !names.has(file));
}
