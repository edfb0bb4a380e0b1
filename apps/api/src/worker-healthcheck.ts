import { openCache } from "./cache/open-cache.ts";
import { openDatabase } from "./db/database.ts";
import { createLogger } from "./logger.ts";
import { checkReadiness } from "./modules/health/index.ts";
import { createNodeRedClient } from "./node-red/node-red-client.ts";
import { loadConfigOrExit } from "./process-lifecycle.ts";

/**
 * The worker service's container health check (`node --import tsx src/worker-healthcheck.ts`). A worker has no HTTP
 * port, so it is healthy when it can reach what it works with: Postgres, the queue's Redis/Dragonfly and Node-RED,
 * probed as GET /health/ready probes them. Exits 0 when all answer, 1 otherwise, naming what is down.
 */
const config = loadConfigOrExit();
if (!config.database.url || !config.redis.url || !config.nodeRed.url || !config.nodeRed.servicePassword) {
  console.error(
    "worker health check: DATABASE_URL, REDIS_URL, NODE_RED_URL and NODE_RED_SERVICE_PASSWORD must be set, as for the worker",
  );
  process.exit(1);
}
const database = await openDatabase({ ...config.database, poolMax: 1 }, createLogger("silent"));
const cache = openCache(config.redis);
const nodeRed = createNodeRedClient({
  baseUrl: config.nodeRed.url,
  httpRoot: config.nodeRed.httpRoot,
  user: config.nodeRed.serviceUser,
  password: config.nodeRed.servicePassword,
});
const readiness = await checkReadiness({ config, db: database.pool, cache, nodeRed });
await Promise.allSettled([database.close(), cache.close()]);
for (const check of readiness.checks.filter((item) => item.status === "down"))
  console.error(`${check.name} is down: ${check.detail ?? ""}`);
process.exit(readiness.status === "ready" ? 0 : 1);
