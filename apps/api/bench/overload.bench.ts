/**
 * `npm run bench:overload`: floods one API instance with many concurrent connections doing authenticated reads, first
 * without a concurrency limit (MAX_CONCURRENT_REQUESTS=0, the baseline) and then with the limit, in the same run,
 * and prints the latency of the answers given, the share refused with 503 and the requests that timed out. The API runs
 * in a child process of its own (`--serve`), so the load generator does not take its event loop.
 *
 *   BENCH_CONNECTIONS    concurrent connections (default 300), each sending one request after another
 *   BENCH_SECONDS        length of each phase (default 10)
 *   BENCH_LIMIT          MAX_CONCURRENT_REQUESTS of the second phase (default 64)
 *   BENCH_TIMEOUT_MS     a client gives up on a request after this long (default 10000)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import pg from "pg";
import { runMigrations } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/deps.ts";
import type { Actor } from "../src/domain/actor.ts";
import { createLogger } from "../src/logger.ts";
import { createCatalog } from "../src/modules/catalogs/index.ts";
import { createUser } from "../src/modules/users/index.ts";
import { startBenchApi } from "./bench-api.ts";
import { createScratchDatabase } from "./scratch-database.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 64);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
const PASSWORD = process.env.BENCH_PASSWORD ?? randomBytes(12).toString("hex");
const log = createLogger("silent");

interface Phase {
  ok: number[];
  refused: number[];
  timeouts: number;
  errors: number;
  seconds: number;
}

function get(agent: http.Agent, port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port, path, agent, headers: { authorization: `Bearer ${token}` }, timeout: TIMEOUT_MS },
      (response) => response.resume().on("end", () => resolve(response.statusCode ?? 0)),
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
  });
}

async function token(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bench", password: PASSWORD }),
  });
  return ((await response.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
}

async function flood(port: number, accessToken: string): Promise<Phase> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const phase: Phase = { ok: [], refused: [], timeouts: 0, errors: 0, seconds: SECONDS };
  const endAt = Date.now() + SECONDS * 1000;
  const paths = ["/api/v1/catalogs?pageSize=50", "/api/v1/runs?pageSize=50", "/api/v1/auth/me", "/api/v1/scopes"];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, connection) => {
      for (let index = connection; Date.now() < endAt; index += 1) {
        const started = performance.now();
        try {
          const status = await get(agent, port, paths[index % paths.length]!, accessToken);
          const ms = performance.now() - started;
          if (status === 503) phase.refused.push(ms);
          else if (status < 400) phase.ok.push(ms);
          else phase.errors += 1;
          // A refused client waits as Retry-After asks (1 s), as well-behaved clients and proxies do.
          if (status === 503) await new Promise((resolve) => setTimeout(resolve, 1_000));
        } catch (error) {
          if ((error as Error).message === "timeout") phase.timeouts += 1;
          else phase.errors += 1;
        }
      }
    }),
  );
  agent.destroy();
  return phase;
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

function describe(name: string, phase: Phase): string {
  const total = phase.ok.length + phase.refused.length + phase.timeouts + phase.errors;
  return (
    `${name}: ${(phase.ok.length / phase.seconds).toFixed(0)} answers/s; answered p50 ${percentile(phase.ok, 0.5).toFixed(0)} ms, ` +
    `p99 ${percentile(phase.ok, 0.99).toFixed(0)} ms; refused ${((phase.refused.length / Math.max(1, total)) * 100).toFixed(1)} % ` +
    `(p99 ${percentile(phase.refused, 0.99).toFixed(0)} ms); timeouts ${phase.timeouts}; other errors ${phase.errors}`
  );
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench");
  try {
    const migrationPool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    await runMigrations(migrationPool, log);
    await migrationPool.end();
    console.log(`STATUS overload benchmark: ${CONNECTIONS} connections, ${SECONDS} s per phase, reads only`);
    const results: Phase[] = [];
    for (const limit of [0, LIMIT]) {
      const api = await spawnApi(scratch.url, limit, results.length === 0);
      const phase = await flood(api.port, await token(api.port));
      results.push(phase);
      console.log(describe(limit === 0 ? "no limit (baseline)" : `MAX_CONCURRENT_REQUESTS=${limit}`, phase));
      const health = await fetch(`http://127.0.0.1:${api.port}/api/v1/health`).catch(() => undefined);
      console.log(`  liveness right after: ${health?.status ?? "no answer"}`);
      api.child.kill("SIGTERM");
      await once(api.child, "exit");
    }
    const [baseline, limited] = results as [Phase, Phase];
    console.log(
      `answered p99 with the limit / without: ${(percentile(limited.ok, 0.99) / Math.max(1, percentile(baseline.ok, 0.99))).toFixed(2)}; ` +
        `answers/s ratio: ${(limited.ok.length / Math.max(1, baseline.ok.length)).toFixed(2)}`,
    );
  } finally {
    await scratch.drop();
  }
}

/** Starts the API under test in a child process (this script with --serve) and answers its port. */
async function spawnApi(
  databaseUrl: string,
  limit: number,
  shouldSeed: boolean,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", process.argv[1]!, "--serve", String(limit)], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_PASSWORD: PASSWORD, BENCH_SEED: String(shouldSeed) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  for await (const chunk of child.stdout) {
    output += String(chunk);
    const match = /listening on (\d+)/.exec(output);
    if (match) return { child, port: Number(match[1]) };
  }
  throw new Error(`the API did not start: ${output}`);
}

/** The child: serves the API with the given limit until SIGTERM. */
async function serve(limit: number): Promise<void> {
  const api = await startBenchApi(process.env.BENCH_DATABASE_URL!, { MAX_CONCURRENT_REQUESTS: String(limit) });
  if (process.env.BENCH_SEED === "true") await seed(api.deps);
  console.log(`listening on ${api.port}`);
  process.once("SIGTERM", () => {
    api.server.closeAllConnections();
    void api.close().finally(() => process.exit(0));
  });
}

async function seed(deps: AppDeps): Promise<void> {
  const user = await createUser(deps, null, { username: "bench", password: PASSWORD, role: "ADMIN" });
  const actor: Actor = { userId: user.id, username: "bench", role: "ADMIN", authMethod: "session" };
  for (let index = 0; index < 30; index += 1)
    await createCatalog(deps, actor, {
      name: `Catalog ${index}`,
      description: "",
      startDate: "2025-01-01T00:00:00Z",
      endDate: null,
      timeZone: "UTC",
      firstDayOfWeek: 1,
    });
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex >= 0) await serve(Number(process.argv[serveIndex + 1]));
else {
  await main();
  process.exit(0);
}
