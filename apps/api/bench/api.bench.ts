/**
 * `npm run bench:api`: the HTTP API's throughput and latency per route, beside a bare Express 5 "hello" measured in
 * the same run (the ceiling of any Express API on the machine), with the targets of issue 19 as PASS/MISS.
 *
 * The API runs in a child process of its own (this script with --serve), production-shaped: Postgres (a scratch
 * database) and Redis as the cache, or with --embedded the embedded default (PGlite in a temporary DATA_DIR, the
 * in-process cache). The bare Express hello is another child (--bare). The load generator (autocannon) stays in this
 * process, so on a small machine it does not take the server's event loop.
 *
 * Data set: 20 catalogs × 25 controls (finalized; the catalog routes), one more catalog with 9,500 draft controls so
 * that the list route pages over 10,000 controls, and a year of daily points for 100 controls (the overview).
 * Calls authenticate with a personal API token; one route is measured with a session's bearer access token too.
 *
 *   BENCH_SECONDS        length of each measurement (default 10)
 *   BENCH_WARMUP_SECONDS load before each measurement, not counted (default 2)
 *   BENCH_CONNECTIONS    concurrent connections (default 50)
 *   BENCH_ROUTES         comma-separated case names to run (default: all), e.g. "control,catalogs"
 *   BENCH_POSTGRES_URL   server to create the scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_REDIS_URL      Redis of the production shape (default redis://127.0.0.1:6379)
 *   BENCH_API_ENV        extra environment of the API process, e.g. "DATABASE_POOL_MAX=20 LOG_LEVEL=warn"
 *   BENCH_CPU_PROF       a directory: the API process writes a V8 CPU profile there (node --cpu-prof) on exit
 *
 * Columns: req/s, latency p50/p99, the ratio to bare Express, "cpu ms": the server process's CPU time per answered
 * request (from /proc; the database's CPU is not in it), which moves far less than req/s when the machine is shared,
 * "db ms": the CPU the Postgres backends of the scratch database spent per answered request, "load ms": the load
 * generator's (this process's) CPU per request — on two cores the three share the machine, so the sum is what a
 * request costs — and "stmts": the SQL statements the server sent per answered request (counted in the API process),
 * which does not move with the machine at all.
 *
 *   --embedded           the embedded default (PGlite, in-process cache) instead of Postgres + Redis
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import express from "express";
import pg from "pg";
import { createServer } from "../src/app.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createUser } from "../src/modules/users/index.ts";
import { benchDeps } from "./bench-deps.ts";
import { countStatements, createCpuMeter, statementsSoFar, type CpuSample } from "./cpu-meter.ts";
import { seedApiBenchData } from "./api-bench-data.ts";
import { createScratchDatabase } from "./scratch-database.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const PASSWORD = process.env.BENCH_PASSWORD ?? randomBytes(12).toString("hex");
const ONLY = process.env.BENCH_ROUTES?.split(",").filter(Boolean);
const API = "/api/v1";

/** What one route is held to: a share of the bare Express rate (when the issue sets one) and a p99 bound. */
interface Target {
  ratio?: number;
  p99Ms: number;
}
const READ: Target = { p99Ms: 25 };
const WRITE: Target = { p99Ms: 60 };

interface Case {
  name: string;
  label: string;
  method: "GET" | "POST";
  path: string;
  /** The paths to ask for in turn instead of `path` alone (a path per request, round the list). */
  paths?: readonly string[];
  /** Which credential the case presents. */
  auth: "api-token" | "session";
  target: Target;
  /** A fresh body per request (writes must not collide on unique names). */
  body?: () => string;
  /** Run only when the route exists on this build (a probe answers other than 404). */
  isOptional?: boolean;
}

interface Result {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time of the server process per answered request (user + system), steadier than req/s on a busy machine. */
  cpuMsPerRequest: number | undefined;
  /** CPU of the scratch database's Postgres backends per answered request (undefined without one). */
  postgresMsPerRequest: number | undefined;
  /** CPU of the load generator (this process) per answered request. */
  loadMsPerRequest: number;
  /** SQL statements the server sent per answered request (undefined for the bare baseline). */
  statementsPerRequest: number | undefined;
}

/** The ids the seed made, handed from the API process to this one. */
interface Seeded {
  controlId: string;
  controlIds: string[];
  pointsControlIds: string[];
  pointsCatalogIds: string[];
  catalogId: string;
  listCatalogId: string;
  pointsControlId: string;
  pushControlId: string;
}

function cases(seeded: Seeded): Case[] {
  let written = 0;
  return [
    {
      name: "control",
      label: "GET /controls/:id ×500",
      method: "GET",
      path: `${API}/controls/${seeded.controlId}`,
      paths: seeded.controlIds.map((id) => `${API}/controls/${id}`),
      auth: "api-token",
      target: { ...READ, ratio: 0.5 },
    },
    {
      name: "control-session",
      label: "GET /controls/:id (session token)",
      method: "GET",
      path: `${API}/controls/${seeded.controlId}`,
      auth: "session",
      target: { ...READ, ratio: 0.5 },
    },
    {
      name: "catalogs",
      label: "GET /catalogs",
      method: "GET",
      path: `${API}/catalogs`,
      auth: "api-token",
      target: { ...READ, ratio: 0.4 },
    },
    {
      name: "controls",
      label: "GET /controls?pageSize=50 (10,000)",
      method: "GET",
      path: `${API}/controls?pageSize=50`,
      auth: "api-token",
      target: { ...READ, ratio: 0.25 },
    },
    {
      // The same list, each request another of its first 20 pages: equal requests of one turn share one page
      // (lib/turn-reads.ts), so this is what the list costs when fewer of them are equal. No target of its own.
      name: "controls-pages",
      label: "GET /controls?pageSize=50&page=1..20",
      method: "GET",
      path: `${API}/controls?pageSize=50`,
      paths: Array.from({ length: 20 }, (_, index) => `${API}/controls?pageSize=50&page=${index + 1}`),
      auth: "api-token",
      target: READ,
    },
    {
      name: "create-control",
      label: "POST /catalogs/:id/controls",
      method: "POST",
      path: `${API}/catalogs/${seeded.listCatalogId}/controls`,
      auth: "api-token",
      target: { ...WRITE, ratio: 0.15 },
      body: () => JSON.stringify({ name: `Bench written ${process.pid}-${(written += 1)}`, period: "DAILY" }),
    },
    {
      name: "overview",
      label: "GET /overview",
      method: "GET",
      path: `${API}/overview`,
      auth: "api-token",
      target: { ...READ, ratio: 0.1 },
    },
    {
      name: "points",
      label: "GET /points?controlId=",
      method: "GET",
      path: `${API}/points?controlId=${seeded.pointsControlId}`,
      auth: "api-token",
      target: READ,
    },
    {
      // Equal requests of one turn share one page (lib/turn-reads.ts): here each request is another control's.
      name: "points-controls",
      label: "GET /points?controlId= ×100",
      method: "GET",
      path: `${API}/points?controlId=${seeded.pointsControlId}`,
      paths: seeded.pointsControlIds.map((id) => `${API}/points?controlId=${id}`),
      auth: "api-token",
      target: READ,
    },
    {
      name: "control-states",
      label: "GET /catalogs/:id/control-states",
      method: "GET",
      path: `${API}/catalogs/${seeded.catalogId}/control-states`,
      auth: "api-token",
      target: READ,
    },
    {
      // As points-controls: each request another of the four catalogs whose controls have points.
      name: "control-states-catalogs",
      label: "GET /catalogs/:id/control-states ×4",
      method: "GET",
      path: `${API}/catalogs/${seeded.catalogId}/control-states`,
      paths: seeded.pointsCatalogIds.map((id) => `${API}/catalogs/${id}/control-states`),
      auth: "api-token",
      target: READ,
    },
    {
      // Issue 20's push endpoint: each submission is stored as a computation of the window open now.
      name: "push-evidence",
      label: "POST /controls/:id/evidence",
      method: "POST",
      path: `${API}/controls/${seeded.pushControlId}/evidence`,
      auth: "api-token",
      target: { ...WRITE, ratio: 0.15 },
      isOptional: true,
      body: () =>
        JSON.stringify({
          at: new Date().toISOString(),
          evidences: [{ key: "bench", value: true, result: "pass" }],
        }),
    },
  ];
}

/** User + system CPU seconds of a process so far (Linux /proc), or undefined elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The statements the API child has sent so far (asked over its IPC channel), or undefined for a child without one. */
async function statementsOf(child: ChildProcess | undefined): Promise<number | undefined> {
  if (!child?.send) return undefined;
  const answer = once(child, "message") as Promise<[{ statements: number }]>;
  child.send("statements");
  return (await answer)[0].statements;
}

/** This process's CPU and, with a scratch database, its Postgres backends' (see cpu-meter.ts). */
type SideMeter = { sample(): Promise<CpuSample> } | undefined;

async function sampleSides(meter: SideMeter): Promise<{ selfMs: number; postgresMs: number | undefined }> {
  if (meter) return meter.sample();
  const usage = process.cpuUsage();
  return { selfMs: (usage.user + usage.system) / 1000, postgresMs: undefined };
}

async function measure(
  label: string,
  server: { port: number; pid: number | undefined; child?: ChildProcess; sides?: SideMeter },
  request: {
    method: "GET" | "POST";
    path: string;
    paths?: readonly string[];
    headers: Record<string, string>;
    body?: () => string;
  },
  afterWarmup?: () => Promise<unknown>,
): Promise<Result> {
  let asked = 0;
  const nextPath = (paths: readonly string[]) => paths[(asked += 1) % paths.length]!;
  const run = (seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          ...(request.body
            ? {
                setupRequest: (req: autocannon.Request) => ({ ...req, body: request.body!() }),
              }
            : request.paths
              ? { setupRequest: (req: autocannon.Request) => ({ ...req, path: nextPath(request.paths!) }) }
              : {}),
        },
      ],
    });
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  await afterWarmup?.();
  const cpuBefore = await cpuSeconds(server.pid);
  const statementsBefore = await statementsOf(server.child);
  const sidesBefore = await sampleSides(server.sides);
  const result = await run(SECONDS);
  const sidesAfter = await sampleSides(server.sides);
  const cpuAfter = await cpuSeconds(server.pid);
  const statementsAfter = await statementsOf(server.child);
  const answered = result.requests.total;
  return {
    postgresMsPerRequest:
      sidesBefore.postgresMs === undefined || sidesAfter.postgresMs === undefined || answered === 0
        ? undefined
        : (sidesAfter.postgresMs - sidesBefore.postgresMs) / answered,
    loadMsPerRequest: answered === 0 ? 0 : (sidesAfter.selfMs - sidesBefore.selfMs) / answered,
    statementsPerRequest:
      statementsBefore === undefined || statementsAfter === undefined || answered === 0
        ? undefined
        : (statementsAfter - statementsBefore) / answered,
    cpuMsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || answered === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / answered,
    label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function verdict(result: Result, target: Target, bare: number): string {
  const ratio = result.requestsPerSecond / bare;
  const isMet =
    result.requestsPerSecond > 0 &&
    result.non2xx === 0 &&
    result.errors === 0 &&
    result.p99 < target.p99Ms &&
    ratio >= (target.ratio ?? 0);
  return isMet ? "PASS" : "MISS";
}

function row(cells: string[]): string {
  const widths = [36, 8, 7, 7, 7, 7, 7, 8, 6, 16, 6, 8];
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!)))
    .join(" ");
}

async function main(): Promise<void> {
  const isEmbedded = process.argv.includes("--embedded");
  const scratch = isEmbedded ? undefined : await createScratchDatabase("status_bench_api");
  const dataDir = isEmbedded ? await mkdtemp(path.join(os.tmpdir(), "status-bench-api-")) : undefined;
  const apiEnv: Record<string, string> = scratch
    ? { DATABASE_URL: scratch.url, REDIS_URL: REDIS_URL }
    : { DATA_DIR: dataDir! };
  for (const pair of (process.env.BENCH_API_ENV ?? "").split(/\s+/).filter(Boolean)) {
    const [key, ...value] = pair.split("=");
    apiEnv[key!] = value.join("=");
  }
  try {
    console.log(
      `STATUS API benchmark: ${CONNECTIONS} connections, ${SECONDS} s per route (+${WARMUP_SECONDS} s warm-up), ` +
        `${isEmbedded ? "embedded PGlite + in-process cache" : "Postgres + Redis"}; ${os.cpus().length} CPUs, ` +
        `load average ${os
          .loadavg()
          .map((value) => value.toFixed(1))
          .join(" ")}`,
    );
    const bareChild = await spawnChild(["--bare"], {});
    const bare = await measure(
      "bare Express 5 hello",
      { port: bareChild.port, pid: bareChild.child.pid },
      { method: "GET", path: "/", headers: {} },
    );
    await stop(bareChild.child);

    const api = await spawnChild(["--serve"], apiEnv);
    const seeded = JSON.parse(api.message) as Seeded;
    // A connection of this process's own to the scratch database, to read its backends' CPU between measurements.
    const meterPool = scratch ? new pg.Pool({ connectionString: scratch.url, max: 1 }) : undefined;
    // Its idle connection may be ended from the server's side (a drop of the scratch database with force): not a crash.
    meterPool?.on("error", () => undefined);
    const sides = meterPool ? createCpuMeter(meterPool, scratch!.name, () => undefined) : undefined;
    const tokens = await credentials(api.port);
    const results: { result: Result; target?: Target }[] = [{ result: bare }];
    for (const test of cases(seeded)) {
      if (ONLY && !ONLY.includes(test.name)) continue;
      const headers: Record<string, string> = {
        authorization: `Bearer ${test.auth === "session" ? tokens.session : tokens.apiToken}`,
        ...(test.body ? { "content-type": "application/json" } : {}),
      };
      if (test.isOptional && (await probe(api.port, test, headers)) === 404) {
        console.log(`${test.label}: skipped (the route answers 404 on this build)`);
        continue;
      }
      // The seed's `vacuum analyze` recorded the tables a write case fills (runs, computations and evidences for the
      // push case) as empty, and with autovacuum off, as on the benchmark server, nothing corrects that: each
      // connection kept the plans of its inserts' foreign key checks as sequential scans of tables the case keeps
      // growing (issue 20: push submissions' Postgres CPU rose by 0.1 ms per 1,000 rows stored, two thirds of it at
      // 1,300 req/s). Analyze after the warm-up, as autovacuum would have by then (past 50 rows and 10 %).
      const analyze = test.body && meterPool ? () => meterPool.query("analyze") : undefined;
      results.push({
        result: await measure(
          test.label,
          { port: api.port, pid: api.child.pid, child: api.child, sides },
          { ...test, headers },
          analyze,
        ),
        target: test.target,
      });
    }
    await stop(api.child);
    await meterPool?.end();

    console.log(
      `\n${row(["route", "req/s", "p50 ms", "p99 ms", "× bare", "cpu ms", "db ms", "load ms", "stmts", "target", "non2xx", "verdict"])}`,
    );
    for (const { result, target } of results) {
      const ratio = result.requestsPerSecond / bare.requestsPerSecond;
      const targetText = target
        ? `${target.ratio === undefined ? "" : `≥${target.ratio}× `}p99<${target.p99Ms}`
        : "(baseline)";
      console.log(
        row([
          result.label,
          result.requestsPerSecond.toFixed(0),
          result.p50.toFixed(1),
          result.p99.toFixed(1),
          ratio.toFixed(2),
          result.cpuMsPerRequest?.toFixed(3) ?? "-",
          result.postgresMsPerRequest?.toFixed(3) ?? "-",
          result.loadMsPerRequest.toFixed(3),
          result.statementsPerRequest?.toFixed(2) ?? "-",
          targetText,
          String(result.non2xx + result.errors),
          target ? verdict(result, target, bare.requestsPerSecond) : "",
        ]),
      );
    }
  } finally {
    await scratch?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** A session's access token (signing in as the seeded administrator) and a personal API token made with it. */
async function credentials(port: number): Promise<{ session: string; apiToken: string }> {
  const login = await fetch(`http://127.0.0.1:${port}${API}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bench", password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const session = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
  const created = await fetch(`http://127.0.0.1:${port}${API}/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
    body: JSON.stringify({ name: "bench", expiresInDays: null }),
  });
  if (!created.ok) throw new Error(`token creation failed: ${created.status} ${await created.text()}`);
  return { session, apiToken: ((await created.json()) as { token: string }).token };
}

async function probe(port: number, test: Case, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${test.path}`, {
    method: test.method,
    headers,
    ...(test.body ? { body: test.body() } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

// V8's heap sizing as the API runs in production (apps/api/src/heap-flags.test.ts keeps them equal), for the bare
// Express hello too: what is measured is what runs, and both sides of the ratio collect garbage alike.
const HEAP_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=1024"];

/**
 * Starts this script as a child in the given mode and waits for its "ready <port> <message>" line. With
 * BENCH_CPU_PROF the API child runs under `node --cpu-prof`.
 */
async function spawnChild(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; message: string }> {
  const profile =
    process.env.BENCH_CPU_PROF && args[0] === "--serve"
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
  const child = spawn(process.execPath, [...HEAP_FLAGS, ...profile, "--import", "tsx", process.argv[1]!, ...args], {
    env: { ...process.env, ...env, BENCH_PASSWORD: PASSWORD },
    // The IPC channel answers the API child's statement count (statementsOf).
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  let output = "";
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /^ready (\d+) (.*)$/m.exec(output);
    if (match) return { child, port: Number(match[1]), message: match[2]! };
  }
  throw new Error(`the child did not start: ${output}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/** The baseline child: the smallest Express 5 app, one JSON route. */
function serveBare(): void {
  const app = express();
  app.get("/", (_req, res) => {
    res.json({ hello: "world" });
  });
  const server = app.listen(0, "127.0.0.1", () => {
    console.log(`ready ${(server.address() as AddressInfo).port} {}`);
  });
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

/** The API child: migrates, seeds and serves the real app (createServer) until SIGTERM. */
async function serveApi(): Promise<void> {
  // The parent's environment with BENCH_API_ENV laid over it (DATABASE_URL, REDIS_URL or DATA_DIR among them).
  // Seeding a year of points on a busy machine can outlast the default 10 s query deadline.
  const bench = await benchDeps({
    DEPENDENCY_TIMEOUT_MS: "600000",
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  await runMigrations(bench.deps.db, bench.deps.log);
  countStatements();
  process.on("message", (message) => {
    if (message === "statements") process.send?.({ statements: statementsSoFar() });
  });
  const admin = await createUser(bench.deps, null, { username: "bench", password: PASSWORD, role: "ADMIN" });
  const seeded = await seedApiBenchData(bench.deps.db, admin.id);
  const server = createServer(bench.deps);
  server.listen(0, "127.0.0.1", () => {
    console.log(`ready ${(server.address() as AddressInfo).port} ${JSON.stringify(seeded)}`);
  });
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close();
    void bench.close().finally(() => process.exit(0));
  });
}

if (process.argv.includes("--bare")) serveBare();
else if (process.argv.includes("--serve")) await serveApi();
else {
  await main();
  process.exit(0);
}
