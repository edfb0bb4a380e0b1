/**
 * `npm run bench:push`: evidence submissions per second through `POST /controls/:id/evidence` at a fixed concurrency,
 * beside a bare Express "hello" in the same run, each served by a child process of its own (so the load generator
 * does not take their event loop). Every submission is stored (a run, its computation and its evidences); the count of
 * stored computations is checked against the 201s at the end. Prints both rates and their ratio (issue 20's target:
 * at least 0.15), and what one submission costs: the API process's CPU, the Postgres backends' CPU and the statements
 * the API sent — figures that hold still while other work shares the machine, unlike the rates.
 *
 *   BENCH_CONCURRENCY    requests in flight (default 50)
 *   BENCH_SECONDS        length of each phase (default 10)
 *   BENCH_EVIDENCES      evidences per submission (default 5)
 *   BENCH_WARMUP         seconds of load before each phase, not counted (default 2): the JIT's first compiles
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_CPU_PROFILE    a directory: the API child writes a V8 CPU profile of its whole life there (node --cpu-prof)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import pg from "pg";
import { runMigrations } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { createUser } from "../src/modules/users/index.ts";
import { startBenchApi } from "./bench-api.ts";
import { countStatements, createCpuMeter, statementsSoFar } from "./cpu-meter.ts";
import { createScratchDatabase } from "./scratch-database.ts";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EVIDENCES = Number(process.env.BENCH_EVIDENCES ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const PASSWORD = process.env.BENCH_PASSWORD ?? randomBytes(12).toString("hex");
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
const log = createLogger("silent");

/** What the API child has spent since it started, asked for over its IPC channel. */
interface ChildUsage {
  cpuMs: number;
  statements: number;
}

function usageOf(child: ChildProcess): Promise<ChildUsage> {
  return new Promise((resolve) => {
    child.once("message", (message) => resolve(message as ChildUsage));
    child.send("usage");
  });
}

interface Phase {
  ok: number;
  other: number;
  latencies: number[];
}

function send(agent: http.Agent, port: number, path: string, token: string, body: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        agent,
        method: body === null ? "GET" : "POST",
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === null ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
        },
      },
      (response) => response.resume().on("end", () => resolve(response.statusCode ?? 0)),
    );
    request.on("error", reject);
    request.end(body ?? undefined);
  });
}

async function load(
  port: number,
  path: string,
  token: string,
  body: string | null,
  okStatus: number,
  seconds = SECONDS,
): Promise<Phase> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const phase: Phase = { ok: 0, other: 0, latencies: [] };
  const endAt = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < endAt) {
        const started = performance.now();
        const status = await send(agent, port, path, token, body).catch(() => 0);
        if (status === okStatus) {
          phase.ok += 1;
          phase.latencies.push(performance.now() - started);
        } else phase.other += 1;
      }
    }),
  );
  agent.destroy();
  return phase;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0;
}

async function call<T>(port: number, method: string, path: string, token: string | null, body: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A finalized catalog with one push control; answers the developer's access token and the control id. */
async function prepare(port: number): Promise<{ token: string; controlId: string }> {
  const login = await call<{ tokens: { accessToken: string } }>(port, "POST", "/auth/login", null, {
    username: "bench",
    password: PASSWORD,
  });
  const token = login.tokens.accessToken;
  const catalog = await call<{ id: string }>(port, "POST", "/catalogs", token, {
    name: "Bench",
    description: "",
    startDate: "2025-01-01T00:00:00Z",
  });
  const control = await call<{ id: string }>(port, "POST", `/catalogs/${catalog.id}/controls`, token, {
    name: "Pushed",
    kind: "push",
    period: "DAILY",
    threshold: 80,
  });
  await call(port, "PATCH", `/catalogs/${catalog.id}`, token, { status: "finalized" });
  return { token, controlId: control.id };
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_push");
  const children: ChildProcess[] = [];
  try {
    const migrationPool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    await runMigrations(migrationPool, log);
    await migrationPool.end();
    const hello = await spawnChild("--hello", scratch.url);
    children.push(hello.child);
    await load(hello.port, "/hello", "none", null, 200, WARMUP);
    const helloPhase = await load(hello.port, "/hello", "none", null, 200);
    hello.child.kill("SIGTERM");
    await once(hello.child, "exit");

    const api = await spawnChild("--serve", scratch.url);
    children.push(api.child);
    const { token, controlId } = await prepare(api.port);
    const body = JSON.stringify({
      evidences: Array.from({ length: EVIDENCES }, (_, index) => ({
        key: `check-${index}`,
        value: index,
        result: true,
      })),
    });
    const pushPath = `/api/v1/controls/${controlId}/evidence`;
    const warmup = await load(api.port, pushPath, token, body, 201, WARMUP);
    const meterPool = new pg.Pool({ connectionString: scratch.url, max: 1 });
    const meter = createCpuMeter(meterPool, scratch.name, () => undefined);
    const [usageBefore, meterBefore] = [await usageOf(api.child), await meter.sample()];
    const pushPhase = await load(api.port, pushPath, token, body, 201);
    const [usageAfter, meterAfter] = [await usageOf(api.child), await meter.sample()];
    const counted = await meterPool.query<{ n: number }>(
      "select count(*)::int as n from computations where control_id = $1",
      [controlId],
    );
    const count = counted.rows[0]!.n - warmup.ok;
    await meterPool.end();
    const requests = Math.max(1, pushPhase.ok + pushPhase.other);
    api.child.kill("SIGTERM");
    await once(api.child, "exit");

    const helloRate = helloPhase.ok / SECONDS;
    const pushRate = pushPhase.ok / SECONDS;
    console.log(`STATUS evidence push benchmark: concurrency ${CONCURRENCY}, ${SECONDS} s per phase`);
    console.log(`bare Express hello: ${helloRate.toFixed(0)} req/s, p99 ${p99(helloPhase.latencies).toFixed(1)} ms`);
    console.log(
      `push (${EVIDENCES} evidences each): ${pushRate.toFixed(0)} submissions/s, p99 ${p99(pushPhase.latencies).toFixed(1)} ms, ` +
        `${pushPhase.other} not 201; stored ${count} of ${pushPhase.ok}`,
    );
    console.log(
      `per submission: ${((usageAfter.cpuMs - usageBefore.cpuMs) / requests).toFixed(3)} ms API CPU, ` +
        `${((meterAfter.postgresMs - meterBefore.postgresMs) / requests).toFixed(3)} ms Postgres CPU, ` +
        `${((usageAfter.statements - usageBefore.statements) / requests).toFixed(2)} statements`,
    );
    console.log(`ratio push / hello: ${(pushRate / Math.max(1, helloRate)).toFixed(3)} (target ≥ 0.15)`);
    if (count !== pushPhase.ok) throw new Error("not every accepted submission was stored");
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await scratch.drop();
  }
}

/** Starts this script with `--serve` (the API) or `--hello` (a bare Express) and answers its port. */
async function spawnChild(
  mode: "--serve" | "--hello",
  databaseUrl: string,
): Promise<{ child: ChildProcess; port: number }> {
  const profile = CPU_PROFILE_DIR && mode === "--serve" ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", process.argv[1]!, mode], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_PASSWORD: PASSWORD },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  let output = "";
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /listening on (\d+)/.exec(output);
    if (match) return { child, port: Number(match[1]) };
  }
  throw new Error(`the child did not start: ${output}`);
}

async function serveApi(): Promise<void> {
  countStatements();
  const api = await startBenchApi(process.env.BENCH_DATABASE_URL!);
  process.on("message", () => {
    const usage = process.cpuUsage();
    process.send!({ cpuMs: (usage.user + usage.system) / 1000, statements: statementsSoFar() } satisfies ChildUsage);
  });
  await createUser(api.deps, null, { username: "bench", password: PASSWORD, role: "DEVELOPER" });
  console.log(`listening on ${api.port}`);
  process.once("SIGTERM", () => {
    api.server.closeAllConnections();
    void api.close().finally(() => process.exit(0));
  });
}

async function serveHello(): Promise<void> {
  const app = express();
  app.get("/hello", (_req, res) => {
    res.json({ hello: "world" });
  });
  const server = app.listen(0, "127.0.0.1", () => {
    console.log(`listening on ${(server.address() as AddressInfo).port}`);
  });
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

if (process.argv.includes("--serve")) await serveApi();
else if (process.argv.includes("--hello")) await serveHello();
else {
  await main();
  process.exit(0);
}
