import { openCache } from "./cache/open-cache.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import type { AppDeps } from "./deps.ts";
import { startEngine } from "./engine.ts";
import { createLogger } from "./logger.ts";
import { createNodeRedClient } from "./modules/mashups/node-red-client.ts";
import { openRunQueue } from "./queue/open-run-queue.ts";

/**
 * `npm run worker`: a process that only works runs (and helps schedule), for scaling out next to stateless API
 * processes. It needs the shared queue (REDIS_URL) and a Node-RED it can reach (NODE_RED_URL).
 */
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const log = createLogger(config.logLevel);
if (!config.redis.url || !config.nodeRed.url || !config.nodeRed.servicePassword) {
  console.error("A separate worker needs REDIS_URL (the shared queue) and NODE_RED_URL with NODE_RED_SERVICE_PASSWORD; the embedded default works runs inside `npm start`.");
  process.exit(1);
}
const database = await openDatabase(config.database, log);
const cache = openCache(config.redis);
const runQueue = openRunQueue(config.redis, log);
const nodeRed = createNodeRedClient({ baseUrl: config.nodeRed.url, httpRoot: config.nodeRed.httpRoot, user: config.nodeRed.serviceUser, password: config.nodeRed.servicePassword });
const deps: AppDeps = { config, db: database.pool, cache, log, runQueue, nodeRed, now: () => new Date() };
const engine = startEngine(deps, { isWorker: true, isScheduler: true });
log.info({ concurrency: config.engine.concurrency }, "worker started");

async function shutdown(signal: string): Promise<void> {
  log.info({ signal }, "worker stopping");
  await engine.stop();
  await runQueue.close();
  await database.close();
  await cache.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
