import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createLogger } from "../src/logger.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { startTestNodeRed } from "./node-red-harness.ts";
import {
  DATABASE_PREFIX,
  TEST_POSTGRES_ADMIN_URL,
  databaseUrl,
  runDatabasePrefix,
  templateDatabase,
} from "./test-env.ts";

// Databases of runs that started this long ago are leftovers of a crashed run, safe to drop.
const STALE_RUN_MS = 6 * 60 * 60 * 1000;

/**
 * Migrates a template database once per run; every test file then gets its own copy (CREATE DATABASE … TEMPLATE),
 * so files run in parallel on real Postgres without truncating each other's data. Names carry the run's start time,
 * so two runs at once (a developer and CI) keep apart. One real Node-RED (examples + test flows, on a free loopback
 * port) serves the whole run; it starts while the template migrates.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  project.provide("testRunId", runId);
  const startingNodeRed = startTestNodeRed();
  // Not awaited yet: a failure surfaces below, after the database work, and must not go unhandled meanwhile.
  startingNodeRed.catch(() => {});
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  await dropDatabases(admin, (name) => isStale(name));
  await admin.query(`create database ${templateDatabase(runId)}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: databaseUrl(templateDatabase(runId)), max: 1 });
  await runMigrations(pool, createLogger("silent"));
  await pool.end();
  const nodeRed = await startingNodeRed;
  project.provide("nodeRed", nodeRed.credentials);
  return async () => {
    await nodeRed.stop();
    const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await cleanup.connect();
    await dropDatabases(cleanup, (name) => name.startsWith(runDatabasePrefix(runId)));
    await cleanup.end();
  };
}

function isStale(name: string): boolean {
  const stamp = /^status_test_([0-9a-z]+?)[0-9a-f]{4}_/.exec(name)?.[1];
  const startedAt = stamp ? parseInt(stamp, 36) : NaN;
  return !Number.isFinite(startedAt) || Date.now() - startedAt > STALE_RUN_MS;
}

async function dropDatabases(client: pg.Client, shouldDrop: (name: string) => boolean): Promise<void> {
  const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [
    `${DATABASE_PREFIX}%`,
  ]);
  for (const row of rows.filter((candidate) => shouldDrop(candidate.datname))) {
    await client.query(`drop database if exists "${row.datname}" with (force)`);
  }
}
