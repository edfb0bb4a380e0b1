import type { Server } from "node:http";
import { parseArgs } from "node:util";
import { createServer } from "./app.ts";
import { openCache } from "./cache/open-cache.ts";
import { openDatabase } from "./db/database.ts";
import { listPendingMigrations, runMigrations } from "./db/migrate.ts";
import { createAppDeps } from "./create-app-deps.ts";
import type { AppDeps } from "./deps.ts";
import { createLogger } from "./logger.ts";
import { bootstrapAdmin } from "./bootstrap-admin.ts";
import { startBackupControl } from "./backup/backup-control.ts";
import { embeddedBackupSource } from "./backup/embedded-backup.ts";
import { loadConfigOrExit, stopOnSignals } from "./process-lifecycle.ts";
import { withPersistentKeys } from "./persistent-keys.ts";
import { enforceStartup } from "./startup-checks.ts";
import { createNodeRedClient } from "./node-red/node-red-client.ts";
import { openNodeRed } from "./node-red/open-node-red.ts";
import { startEngine } from "./engine.ts";
import { startMetricsServer } from "./metrics/metrics-endpoint.ts";
import { startGrafanaBootstrap } from "./modules/dashboards/index.ts";
import { openRunQueue } from "./queue/open-run-queue.ts";
import { closeGracefully } from "./http/graceful-shutdown.ts";
import { waitWhileWorkersHoldRuns } from "./modules/evaluation/index.ts";
import { seedAsFirstAdmin } from "./seed/seed.ts";

/** Refuses to serve on a schema older than the code: migrations are a separate step that must have run. */
async function assertSchemaCurrent(deps: AppDeps): Promise<void> {
  const missing = await listPendingMigrations(deps.db);
  if (missing.length > 0)
    throw new Error(
      `Database schema is behind (missing ${missing.join(", ")}); run "pnpm --filter @status/api migrate" first`,
    );
}

// `npm start` passes --migrate --seed: the three steps in this one process, which opens the database (PGlite: a
// multi-second WASM start) once. Deployments run the migration as a step of its own and start without them.
const { values: steps } = parseArgs({
  options: { migrate: { type: "boolean", default: false }, seed: { type: "boolean", default: false } },
});
const { config, files: keyFiles } = await withPersistentKeys(loadConfigOrExit());
const log = createLogger(config.logLevel);
enforceStartup(config, "api", log);
for (const file of keyFiles)
  log.warn(
    { path: file.path },
    file.isNew
      ? "a key the environment does not set was generated and kept in this file (mode 0600): back it up with the data"
      : "using a key kept in this file, as the environment does not set it",
  );

// The embedded Node-RED (a child process, unless NODE_RED_URL is set) starts while the database opens.
const [database, nodeRedRuntime] = await Promise.all([
  openDatabase(config.database, log),
  openNodeRed(config.nodeRed, log),
]);
const cache = openCache(config.redis);
const runQueue = await openRunQueue(config.redis, log);
const nodeRed = createNodeRedClient(nodeRedRuntime.credentials, { areFlowsStarted: nodeRedRuntime.areFlowsStarted });
const deps = createAppDeps({ config, db: database.pool, cache, log, runQueue, nodeRed, now: () => new Date() });
if (steps.migrate) {
  const applied = await runMigrations(database.pool, log);
  log.info({ count: applied.length }, applied.length ? "migrations applied" : "database schema is up to date");
}
await assertSchemaCurrent(deps);

await bootstrapAdmin(deps);
if (steps.seed) await seedAsFirstAdmin(deps);

const server: Server = createServer(deps).listen(config.port, config.host, () => {
  log.info(
    { url: config.publicUrl, database: database.kind, cache: cache.kind, nodeRed: nodeRedRuntime.kind },
    `STATUS is serving at ${config.publicUrl} (API at ${config.publicUrl}/api/v1)`,
  );
});

// The embedded default works runs in this process; with Redis, RUN_WORKER=false leaves them to `npm run worker`.
const engine = startEngine(deps, { isWorker: config.engine.runsWorkerInProcess, isScheduler: true });
// With Grafana's admin credentials, STATUS makes its own service account as soon as Grafana answers.
const grafanaBootstrap = startGrafanaBootstrap(deps);
// The embedded database has one owner, this process: `npm run backup` asks it over DATA_DIR/backup.sock.
const backupControl =
  database.kind === "pglite"
    ? await startBackupControl(embeddedBackupSource(database, config.database.dataDir), log)
    : undefined;
// With METRICS_PORT, /metrics has a port of its own (otherwise it is on the API's port, with METRICS_TOKEN).
const metricsServer = startMetricsServer(config, deps.metrics, log);

const { shutdownTimeoutMs } = config.lifecycle;
const isNodeRedShared = nodeRedRuntime.kind === "embedded" && !config.engine.runsWorkerInProcess;
if (isNodeRedShared)
  log.warn(
    "RUN_WORKER=false with the embedded Node-RED: separate workers must call this process's Node-RED. On shutdown it " +
      "is kept until their runs finish (up to SHUTDOWN_TIMEOUT_MS); runs that find it away wait for it without using " +
      "attempts (NODE_RED_WAIT_MAX_MS). Give workers a Node-RED of their own with NODE_RED_URL to avoid the pause.",
  );

stopOnSignals(
  log,
  [
    // The deadline covers requests and runs together: both drain at once.
    async () => {
      const deadline = Date.now() + shutdownTimeoutMs;
      await Promise.all([
        closeGracefully(server, { timeoutMs: shutdownTimeoutMs, log }),
        engine.stop(shutdownTimeoutMs),
      ]);
      grafanaBootstrap.stop();
      if (!isNodeRedShared) return;
      const held = await waitWhileWorkersHoldRuns(deps, deadline);
      if (held > 0) log.warn({ runs: held }, "stopping Node-RED while workers hold runs: they wait for it to return");
    },
    () => new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve())),
    async () => backupControl?.close(),
    () => nodeRedRuntime.close(),
    () => runQueue.close(),
    () => database.close(),
    () => cache.close(),
  ],
  shutdownTimeoutMs,
);
