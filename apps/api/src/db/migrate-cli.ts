import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { openDatabase } from "./database.ts";
import { runMigrations } from "./migrate.ts";

/** `pnpm migrate`: the explicit migration step run before the API starts (by `npm start` and in deploys). */
const config = loadConfig();
const log = createLogger(config.logLevel);
// Migrations may run long statements: only connecting is bounded.
const database = await openDatabase({ ...config.database, timeoutMs: 0 }, log);
try {
  const applied = await runMigrations(database.pool, log);
  log.info({ count: applied.length }, applied.length ? "migrations applied" : "database schema is up to date");
} finally {
  await database.close();
}
