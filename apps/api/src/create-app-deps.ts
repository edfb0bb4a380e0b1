import type { AppClients, AppDeps } from "./deps.ts";
import { deriveAuthKeys } from "./domain/auth-keys.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { instrumentNodeRed } from "./metrics/node-red-metrics.ts";
import { catalogControls } from "./modules/controls/index.ts";
import { getRunQueueStats } from "./modules/evaluation/index.ts";
import { createUnavailableNodeRedClient } from "./node-red/node-red-client.ts";
import { createMemoryRunQueue } from "./queue/memory-run-queue.ts";

/**
 * The dependencies every route factory and service receives, from a process's clients: the auth keys derived once,
 * the port through which the catalogs module reaches the controls module above it, and the process's metrics (one
 * registry per process), with the Node-RED client's mashup calls measured.
 */
export function createAppDeps(clients: AppClients): AppDeps {
  const metrics = createMetrics({
    isServed: clients.config.metrics.isEnabled,
    sources: { pool: clients.db, queueStats: () => getRunQueueStats(clients.db) },
  });
  return {
    ...clients,
    nodeRed: instrumentNodeRed(clients.nodeRed, metrics),
    keys: deriveAuthKeys(clients.config.auth.jwtSecret),
    catalogControls,
    metrics,
  };
}

/**
 * The dependencies of a process that queues no runs and calls no mashup (the seed, the benchmarks of the API and of
 * exports): the in-process run queue and a Node-RED client that refuses every call only complete them.
 */
export function createEnginelessDeps(clients: Omit<AppClients, "runQueue" | "nodeRed" | "now">): AppDeps {
  return createAppDeps({
    ...clients,
    runQueue: createMemoryRunQueue(clients.log),
    nodeRed: createUnavailableNodeRedClient(),
    now: () => new Date(),
  });
}
