import { randomBytes } from "node:crypto";
import { openCache } from "../src/cache/open-cache.ts";
import { loadConfig, type Config } from "../src/config.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { createEnginelessDeps } from "../src/create-app-deps.ts";
import type { AppDeps } from "../src/deps.ts";
import { createLogger } from "../src/logger.ts";

/** A benchmark's API dependencies: the app's own config, database and cache, and a way to close them. */
export interface BenchDeps {
  config: Config;
  deps: AppDeps;
  database: Database;
  close: () => Promise<void>;
}

/**
 * The dependencies main.ts would open for this environment (DATABASE_URL → Postgres, none → embedded PGlite;
 * REDIS_URL → Redis, none → the in-process cache), with no Node-RED and the in-process run queue: benchmarks of the
 * HTTP API run no mashups. `env` is laid over quiet, benchmark-friendly defaults.
 */
export async function benchDeps(env: Record<string, string | undefined>): Promise<BenchDeps> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    STATUS_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    WEB_DIST_DIR: "/nonexistent",
    LOGIN_MAX_PER_IP: "100000",
    ...env,
  });
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config.database, log);
  const cache = openCache(config.redis);
  const deps = createEnginelessDeps({ config, db: database.pool, cache, log });
  return {
    config,
    deps,
    database,
    close: async () => {
      await Promise.allSettled([database.close(), cache.close()]);
    },
  };
}
