import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createServer } from "../src/app.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { loadConfig } from "../src/config.ts";
import { createAppDeps } from "../src/create-app-deps.ts";
import type { AppDeps } from "../src/deps.ts";
import { createLogger } from "../src/logger.ts";
import { createUnavailableNodeRedClient } from "../src/node-red/node-red-client.ts";
import { createMemoryRunQueue } from "../src/queue/memory-run-queue.ts";

/**
 * The API as the HTTP benchmarks serve it: on `databaseUrl`, with an in-process cache and queue and no Node-RED,
 * listening on a free loopback port. `env` adds settings (a request limit, say).
 */
export async function startBenchApi(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ server: Server; port: number; pool: pg.Pool; deps: AppDeps }> {
  const log = createLogger("silent");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    DATABASE_URL: databaseUrl,
    WEB_DIST_DIR: "/nonexistent",
    LOGIN_MAX_PER_IP: "100000",
    ...env,
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: config.database.poolMax });
  pool.on("error", () => undefined);
  const deps = createAppDeps({
    config,
    db: pool,
    cache: createMemoryCache(),
    log,
    runQueue: createMemoryRunQueue(log),
    nodeRed: createUnavailableNodeRedClient(),
    now: () => new Date(),
  });
  const server = createServer(deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, pool, deps };
}
