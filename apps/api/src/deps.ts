import type pg from "pg";
import type { Cache } from "./cache/cache.ts";
import type { Config } from "./config.ts";
import type { AuthKeys } from "./domain/auth-keys.ts";
import type { CatalogControls } from "./domain/catalog-controls.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics/metrics.ts";
import type { NodeRedClient } from "./node-red/node-red-client.ts";
import type { RunQueue } from "./queue/run-queue.ts";

/** What every service receives: the frozen config and the shared clients. Nothing else reaches the environment. */
export interface AppDeps {
  config: Config;
  db: pg.Pool;
  cache: Cache;
  log: Logger;
  /** Delivers run ids to workers (BullMQ, or in-process on the embedded default). */
  runQueue: RunQueue;
  /** Node-RED with the service credential: mashup calls and the admin API (embedded child or NODE_RED_URL). */
  nodeRed: NodeRedClient;
  /** The current time; injected so tests can move it. */
  now: () => Date;
  /** The keys derived once from JWT_SECRET: access tokens, CSRF, OAuth state, run callbacks and session passes. */
  keys: AuthKeys;
  /** The controls' part of finalizing a catalog, for the catalogs module (the controls module implements it). */
  catalogControls: CatalogControls;
  /** This process's Prometheus registry and the metrics services record (served at /metrics with METRICS_TOKEN). */
  metrics: Metrics;
}

/** What a process opens itself (main.ts, worker.ts, the seed, the bench, the tests); createAppDeps adds the rest. */
export type AppClients = Omit<AppDeps, "keys" | "catalogControls" | "metrics">;
