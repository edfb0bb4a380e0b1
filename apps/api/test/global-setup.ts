import pg from "pg";
import { createLogger } from "../src/logger.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { TEMPLATE_DATABASE, TEST_POSTGRES_ADMIN_URL, databaseUrl } from "./test-env.ts";

/**
 * Migrates a template database once per run; every test file then gets its own copy (CREATE DATABASE … TEMPLATE),
 * so files run in parallel on real Postgres without truncating each other's data.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  const pool = new pg.Pool({ connectionString: databaseUrl(TEMPLATE_DATABASE), max: 1 });
  await runMigrations(pool, createLogger("silent"));
  await pool.end();
  await dropLeftoverDatabases(admin);
  await admin.end();
  return async () => {
    const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await cleanup.connect();
    await dropLeftoverDatabases(cleanup);
    await cleanup.end();
  };
}

async function dropLeftoverDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'status_test_%' and datname <> $1", [TEMPLATE_DATABASE]);
  for (const row of rows) await client.query(`drop database if exists "${row.datname}" with (force)`);
}
