import { openCache } from "../cache/open-cache.ts";
import { loadConfig } from "../config.ts";
import { withPersistentKeys } from "../persistent-keys.ts";
import { openDatabase } from "../db/database.ts";
import { createEnginelessDeps } from "../create-app-deps.ts";
import { createLogger } from "../logger.ts";
import { bootstrapAdmin } from "../bootstrap-admin.ts";
import { seedAsFirstAdmin } from "./seed.ts";

/** `pnpm seed`: the first administrator, then demo content on an empty database (skipped with SEED_DEMO_DATA=false). */
// The seed encrypts nothing today, but takes the same keys as the API so anything it writes stays readable.
const { config } = await withPersistentKeys(loadConfig());
const log = createLogger(config.logLevel);
const database = await openDatabase(config.database, log);
const cache = openCache(config.redis);
const deps = createEnginelessDeps({ config, db: database.pool, cache, log });
try {
  await bootstrapAdmin(deps);
  await seedAsFirstAdmin(deps);
} finally {
  await database.close();
  await cache.close();
}
