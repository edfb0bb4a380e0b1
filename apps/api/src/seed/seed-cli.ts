import { openCache } from "../cache/open-cache.ts";
import { loadConfig } from "../config.ts";
import { withPersistentKeys } from "../persistent-keys.ts";
import { openDatabase } from "../db/database.ts";
import { createAppDeps } from "../create-app-deps.ts";
import { createLogger } from "../logger.ts";
import { bootstrapAdmin } from "../bootstrap-admin.ts";
import { createUnavailableNodeRedClient } from "../node-red/node-red-client.ts";
import { createMemoryRunQueue } from "../queue/memory-run-queue.ts";
import { seedAsFirstAdmin } from "./seed.ts";

/** `pnpm seed`: the first administrator, then demo content on an empty database (skipped with SEED_DEMO_DATA=false). */
// The seed encrypts nothing today, but takes the same keys as the API so anything it writes stays readable.
const { config } = await withPersistentKeys(loadConfig());
const log = createLogger(config.logLevel);
const database = await openDatabase(config.database, log);
const cache = openCache(config.redis);
// The seed creates no runs and calls no mashup; the queue and Node-RED client only complete the dependencies.
const deps = createAppDeps({
  config,
  db: database.pool,
  cache,
  log,
  runQueue: createMemoryRunQueue(log),
  nodeRed: createUnavailableNodeRedClient(),
  now: () => new Date(),
});
try {
  await bootstrapAdmin(deps);
  await seedAsFirstAdmin(deps);
} finally {
  await database.close();
  await cache.close();
}
