import type pg from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Runs waiting in the database (the source of truth; the queue only delivers ids). */
export interface QueueStats {
  depth: number;
  /** Seconds since the oldest queued run was queued; 0 with none. */
  oldestAgeSeconds: number;
}

/** What the gauges read when Prometheus scrapes: the pool of this process and the runs table. */
export interface MetricsSources {
  pool: pg.Pool;
  queueStats: () => Promise<QueueStats>;
}

/** Why a Node-RED call brought no usable answer. */
export type NodeRedCallError = "unreachable" | "timeout" | "server_error" | "refused";

/**
 * The process's Prometheus metrics, in one registry per process (AppDeps.metrics). Labels take bounded values only:
 * route templates of the route table (never raw URLs), run triggers and statuses, sources, results.
 */
export interface Metrics {
  readonly registry: Registry;
  /** HTTP requests by method, route template (`/api/v1/catalogs/:id`) and status. */
  readonly httpRequestDuration: Histogram<"method" | "route" | "status">;
  /** Runs that ended, by trigger (manual, schedule, backfill, collector) and final status. */
  readonly runsFinished: Counter<"trigger" | "status">;
  /** From a run's first claim to its end. */
  readonly runDuration: Histogram<"trigger" | "status">;
  /** Mashup calls to Node-RED, by outcome (the HTTP status class, or the error). */
  readonly nodeRedCallDuration: Histogram<"outcome">;
  readonly nodeRedCallErrors: Counter<"reason">;
  /** Guarantee points appended to the hash chains, by source (engine, registry). */
  readonly pointsWritten: Counter<"source">;
  /** Chain verifications (GET /controls/:id/points/verify), by result. */
  readonly chainVerifications: Counter<"result">;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const RUN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

// A scrape reads both queue gauges; one query serves both.
function sharedQueueStats(read: () => Promise<QueueStats>): () => Promise<QueueStats> {
  let pending: Promise<QueueStats> | undefined;
  return () => {
    pending ??= read().finally(() => setTimeout(() => (pending = undefined), 250).unref());
    return pending;
  };
}

function gauges(registry: Registry, sources: MetricsSources): void {
  const queueStats = sharedQueueStats(sources.queueStats);
  new Gauge({
    name: "status_run_queue_depth",
    help: "Runs queued in the database, waiting for a worker",
    registers: [registry],
    async collect() {
      this.set((await queueStats()).depth);
    },
  });
  new Gauge({
    name: "status_run_queue_oldest_age_seconds",
    help: "Age of the oldest queued run (0 when none is queued)",
    registers: [registry],
    async collect() {
      this.set((await queueStats()).oldestAgeSeconds);
    },
  });
  new Gauge({
    name: "status_db_pool_connections",
    help: "Database connections of this process's pool: open (total), idle, and requests waiting for one",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.set({ state: "total" }, sources.pool.totalCount);
      this.set({ state: "idle" }, sources.pool.idleCount);
      this.set({ state: "waiting" }, sources.pool.waitingCount);
    },
  });
  new Gauge({
    name: "status_db_pool_max_connections",
    help: "The most connections this process's pool opens (DATABASE_POOL_MAX)",
    registers: [registry],
    collect() {
      this.set(sources.pool.options.max ?? 10);
    },
  });
}

/**
 * Creates the registry of this process and its metrics. The Node.js process metrics (event-loop lag, heap, CPU) are
 * collected only when metrics are served (METRICS_TOKEN), since they keep a timer running.
 */
export function createMetrics(options: { isServed: boolean; sources: MetricsSources }): Metrics {
  const registry = new Registry();
  if (options.isServed) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  gauges(registry, options.sources);
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "status_http_request_duration_seconds",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    runsFinished: new Counter({
      name: "status_runs_total",
      help: "Runs that ended, by trigger and final status",
      labelNames: ["trigger", "status"] as const,
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: "status_run_duration_seconds",
      help: "Run duration from its first claim to its end, by trigger and final status",
      labelNames: ["trigger", "status"] as const,
      buckets: RUN_BUCKETS,
      registers: [registry],
    }),
    nodeRedCallDuration: new Histogram({
      name: "status_node_red_call_duration_seconds",
      help: "Mashup calls to Node-RED, by outcome (2xx, 4xx, 5xx, unreachable, timeout)",
      labelNames: ["outcome"] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    nodeRedCallErrors: new Counter({
      name: "status_node_red_call_errors_total",
      help: "Mashup calls to Node-RED that brought no usable answer, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    pointsWritten: new Counter({
      name: "status_points_written_total",
      help: "Guarantee points appended to the hash chains, by source",
      labelNames: ["source"] as const,
      registers: [registry],
    }),
    chainVerifications: new Counter({
      name: "status_chain_verifications_total",
      help: "Hash-chain verifications, by result (intact or broken)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
  };
}
