import { randomBytes } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createServer } from "../src/app.ts";
import type { Cache } from "../src/cache/cache.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { createRedisCache } from "../src/cache/redis-cache.ts";
import { loadConfig, type Config } from "../src/config.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createAppDeps } from "../src/create-app-deps.ts";
import { withPersistentKeys } from "../src/persistent-keys.ts";
import type { AppDeps } from "../src/deps.ts";
import { startEngine, type EngineRoles } from "../src/engine.ts";
import { createBullmqRunQueue } from "../src/queue/bullmq-run-queue.ts";
import { createMemoryRunQueue } from "../src/queue/memory-run-queue.ts";
import type { RunQueue } from "../src/queue/run-queue.ts";
import { createLogger } from "../src/logger.ts";
import { createNodeRedClient, type NodeRedClient } from "../src/node-red/node-red-client.ts";
import { Redis } from "ioredis";
import {
  TEST_POSTGRES_ADMIN_URL,
  TEST_REDIS_URL,
  databaseUrl,
  runDatabasePrefix,
  templateDatabase,
} from "./test-env.ts";
import { currentRunId, sharedNodeRed } from "./test-run.ts";

export interface TestAppOptions {
  /**
   * `postgres` (default): a fresh copy of the migrated template on the real server; `pglite`: the embedded default;
   * `{ url }`: a database the test prepared (and drops) itself, e.g. one migrated by an older release.
   */
  database?: "postgres" | "pglite" | { url: string };
  /** `redis` (default): the real Redis with a key prefix of its own; `memory`: the in-process cache. */
  cache?: "redis" | "memory";
  /** `memory` (default): the in-process queue; `bullmq`: BullMQ on the real Redis with a prefix of its own. */
  queue?: "memory" | "bullmq";
  /** The Redis the cache and the queue use instead of the shared one (a private server a fault test stops). */
  redisUrl?: string;
  /** Rewrites the database's URL before the app connects, e.g. to reach it through a proxy the test can cut. */
  wrapDatabaseUrl?: (url: string) => Promise<string>;
  /** Start the engine (worker, scheduler, reaper) in the test app; off by default. */
  engine?: EngineRoles;
  /** Extra environment for loadConfig, e.g. limits or GitHub settings. */
  env?: Record<string, string>;
  /** Default: a client of the run's shared Node-RED (examples + test flows, see node-red-harness.ts). */
  nodeRed?: NodeRedClient;
  /**
   * `environment` (default): JWT_SECRET comes from the environment. `data-dir`: neither JWT_SECRET nor
   * STATUS_ENCRYPTION_KEY is set, so the keys come from (or are created in) DATA_DIR/keys, as on the embedded default.
   */
  keys?: "environment" | "data-dir";
  /** With `database: "pglite"`: this data directory (kept on close, so a second app can start on it). */
  dataDir?: string;
}

export interface TestApp {
  baseUrl: string;
  /** The environment another process (a separate worker) needs to share this app's database, Redis and secrets. */
  environment: Record<string, string>;
  deps: AppDeps;
  config: Config;
  /** The open database (its pool is deps.db); with PGlite it can dump its data directory (the backup tests). */
  database: Database;
  /** Moves the app's clock; the real one is used until then. */
  setNow(date: Date | undefined): void;
  close(): Promise<void>;
}

/** A unique suffix for names, so test data never collides. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString("hex");
}

async function createDatabaseCopy(): Promise<{ url: string; drop: () => Promise<void> }> {
  const runId = currentRunId();
  const name = `${runDatabasePrefix(runId)}${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.query(`create database ${name} template ${templateDatabase(runId)}`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: Postgres refuses one; try again shortly.
      if (attempt >= 20 || !String((error as Error).message).includes("being accessed by other users")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  await admin.end();
  return {
    url: databaseUrl(name),
    async drop() {
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Starts the real app on a loopback port, on real Postgres and Redis (or the embedded PGlite and in-process cache). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const log = createLogger((process.env.TEST_LOG_LEVEL ?? "silent") as "silent");
  const cleanups: (() => Promise<void>)[] = [];
  let databaseEnv: Record<string, string>;
  let dataDir: string | undefined;
  if (options.database === "pglite") {
    dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "status-pglite-")));
    databaseEnv = { DATA_DIR: dataDir };
    if (!options.dataDir) cleanups.push(() => rm(dataDir!, { recursive: true, force: true }));
  } else if (typeof options.database === "object") {
    databaseEnv = { DATABASE_URL: options.database.url };
  } else {
    const copy = await createDatabaseCopy();
    databaseEnv = { DATABASE_URL: options.wrapDatabaseUrl ? await options.wrapDatabaseUrl(copy.url) : copy.url };
    cleanups.push(copy.drop);
  }
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  // The port is chosen first so the config can name the API's own address (mashups call back to it).
  const port = await findFreePort();
  const keysFromDataDir = options.keys === "data-dir";
  const { config } = await withPersistentKeys(
    loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      ...(keysFromDataDir ? {} : { JWT_SECRET: randomBytes(32).toString("hex") }),
      WEB_DIST_DIR: "/nonexistent",
      // Closing a test app does not wait the production 10 s for runs in flight.
      SHUTDOWN_TIMEOUT_MS: "2000",
      PORT: String(port),
      API_INTERNAL_URL: `http://127.0.0.1:${port}`,
      ...databaseEnv,
      ...(options.env ?? {}),
    }),
  );
  const jwtSecret = config.auth.jwtSecret;
  const database: Database = await openDatabase(config.database, log);
  cleanups.unshift(() => database.close());
  if (options.database === "pglite") await runMigrations(database.pool, log);

  const redisPrefix = `status-test:${uniqueSuffix()}:`;
  const cache: Cache =
    options.cache === "memory"
      ? createMemoryCache()
      : createRedisCache(redisUrl, redisPrefix, { timeoutMs: config.redis.timeoutMs });
  cleanups.unshift(() => cache.close());
  if (options.cache !== "memory") cleanups.push(() => deleteRedisKeys(redisUrl, redisPrefix));

  let fixedNow: Date | undefined;
  const runQueue: RunQueue =
    options.queue === "bullmq"
      ? createBullmqRunQueue({ url: redisUrl, keyPrefix: redisPrefix, log, timeoutMs: config.redis.timeoutMs })
      : createMemoryRunQueue(log);
  cleanups.unshift(() => runQueue.close());
  if (options.queue === "bullmq") cleanups.push(() => deleteRedisKeys(redisUrl, `{${redisPrefix}bull}`));
  const nodeRed = options.nodeRed ?? createNodeRedClient(sharedNodeRed());
  const deps = createAppDeps({
    config,
    db: database.pool,
    cache,
    log,
    runQueue,
    nodeRed,
    now: () => fixedNow ?? new Date(),
  });
  if (options.engine) {
    const engine = startEngine(deps, options.engine);
    cleanups.unshift(() => engine.stop());
  }
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(deps).listen(port, "127.0.0.1", () => resolve(listening));
  });
  cleanups.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    environment: { ...databaseEnv, JWT_SECRET: jwtSecret, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix },
    deps,
    config,
    database,
    setNow(date) {
      fixedNow = date;
    },
    async close() {
      server.closeAllConnections();
      for (const cleanup of cleanups) await cleanup();
    },
  };
}

/** Removes the keys a test app left in the shared Redis (sessions live for days otherwise). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  // A private Redis the test stopped has nothing left to delete.
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch {
    // unreachable: nothing to clean
  } finally {
    redis.disconnect();
  }
}

/** A free loopback port: the OS picks one for a moment, and the app then listens on it. */
async function findFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
