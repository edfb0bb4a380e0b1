import { openCache } from "./cache/open-cache.ts";
import { openDatabase } from "./db/database.ts";
import { createAppDeps } from "./create-app-deps.ts";
import { startEngine } from "./engine.ts";
import { startMetricsServer } from "./metrics/metrics-endpoint.ts";
import { createLogger } from "./logger.ts";
import { createNodeRedClient } from "./node-red/node-red-client.ts";
import { loadConfigOrExit, stopOnSignals } from "./process-lifecycle.ts";
import { openRunQueue } from "./queue/open-run-queue.ts";
import { enforceStartup } from "./startup-checks.ts";

/**
 * `npm run worker`: a process that only works runs (and helps schedule), for scaling out next to stateless API
 * processes. It needs the shared queue (REDIS_URL) and a Node-RED it can reach (NODE_RED_URL).
 */
const config = loadConfigOrExit();
const log = createLogger(config.logLevel);
// Without them the worker exits naming each; the embedded default works runs inside `npm start` instead.
enforceStartup(config, "worker", log);
if (!config.redis.url || !config.nodeRed.url || !config.nodeRed.servicePassword) process.exit(1);
const database = await openDatabase(config.database, log);
const cache = openCache(config.redis);
const runQueue = await openRunQueue(config.redis, log);
const nodeRed = createNodeRedClient({
  baseUrl: config.nodeRed.url,
  httpRoot: config.nodeRed.httpRoot,
  user: config.nodeRed.serviceUser,
  password: config.nodeRed.servicePassword,
});
const deps = createAppDeps({ config, db: database.pool, cache, log, runQueue, nodeRed, now: () => new Date() });
const engine = startEngine(deps, { isWorker: true, isScheduler: true });
// Prometheus scrapes a worker on METRICS_PORT (its only HTTP port), with METRICS_TOKEN.
const metricsServer = startMetricsServer(config, deps.metrics, log);
log.info({ concurrency: config.engine.concurrency }, "worker started");

// SIGTERM: the runs in flight finish for up to SHUTDOWN_TIMEOUT_MS; the rest go back to the queue with their attempts.
stopOnSignals(
  log,
  [
    () => engine.stop(config.lifecycle.shutdownTimeoutMs),
    () => new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve())),
    () => runQueue.close(),
    () => database.close(),
    () => cache.close(),
  ],
  config.lifecycle.shutdownTimeoutMs,
);
