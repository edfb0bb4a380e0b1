/**
 * `npm run bench:alerts`: state changes delivered as signed webhooks to a loopback receiver. Points that each change
 * their control's state are appended (as the engine appends them, with their outbox rows in the same transaction);
 * the worker's loops fan the events out and deliver them. Prints deliveries/s and the latency from the point's commit
 * to the receiver, first with a healthy receiver, then with the receiver down (503) for a while mid-run: every event
 * must arrive after it returns, and no id is answered 2xx twice.
 *
 *   BENCH_CHANGES        state changes per phase (default 10000)
 *   BENCH_CONTROLS       controls they spread over (100)
 *   BENCH_OUTAGE_MS      how long the receiver is down in the second phase (120000; 0 skips the phase)
 *   BENCH_RETRY_BASE_MS  first retry delay of a failed delivery (1000; doubling with jitter)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { loadConfig } from "../src/config.ts";
import { createAppDeps } from "../src/create-app-deps.ts";
import { withTransaction } from "../src/db/database.ts";
import { runMigrations } from "../src/db/migrate.ts";
import type { AppDeps } from "../src/deps.ts";
import type { Actor } from "../src/domain/actor.ts";
import { startEngine } from "../src/engine.ts";
import { createLogger } from "../src/logger.ts";
import { createCatalog, updateCatalog } from "../src/modules/catalogs/index.ts";
import { createControl } from "../src/modules/controls/index.ts";
import { appendPoints, lockChainHeads, type PointInput } from "../src/modules/points/index.ts";
import { createUser } from "../src/modules/users/index.ts";
import { createWebhook } from "../src/modules/webhooks/index.ts";
import { createNodeRedClient } from "../src/node-red/node-red-client.ts";
import { createMemoryRunQueue } from "../src/queue/memory-run-queue.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 10_000);
const CONTROLS = Number(process.env.BENCH_CONTROLS ?? 100);
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 120_000);
const RETRY_BASE_MS = Number(process.env.BENCH_RETRY_BASE_MS ?? 1_000);
const DAY = 86_400_000;
const log = createLogger("warn");

interface Receiver {
  url: string;
  /** Commit time of each event, keyed control|window, filled by the producer. */
  committedAt: Map<string, number>;
  latencies: number[];
  accepted: Map<string, number>;
  isDown: boolean;
  failedAnswers: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, "url" | "close"> = {
    committedAt: new Map(),
    latencies: [],
    accepted: new Map(),
    isDown: false,
    failedAnswers: 0,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (receiver.isDown) {
        receiver.failedAnswers += 1;
        response.writeHead(503).end();
        return;
      }
      const id = String(request.headers["webhook-id"]);
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        subject: string;
        data: { window: { from: string } };
      };
      const committed = receiver.committedAt.get(`${event.subject}|${event.data.window.from}`);
      if (committed !== undefined) receiver.latencies.push(Date.now() - committed);
      receiver.accepted.set(id, (receiver.accepted.get(id) ?? 0) + 1);
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

async function benchActor(deps: AppDeps): Promise<Actor> {
  const user = await createUser(deps, null, {
    username: "bench",
    password: randomBytes(16).toString("hex"),
    role: "ADMIN",
  });
  return { userId: user.id, username: "bench", role: "ADMIN", authMethod: "session" };
}

interface BenchControl {
  id: string;
  catalogId: string;
  version: number;
  digest: string;
}

async function createControls(deps: AppDeps, actor: Actor): Promise<BenchControl[]> {
  const catalog = await createCatalog(deps, actor, {
    name: "Alerts benchmark",
    description: "",
    startDate: "2020-01-01T00:00:00Z",
    endDate: null,
    timeZone: "UTC",
    firstDayOfWeek: 1,
  });
  for (let index = 0; index < CONTROLS; index += 1) {
    await createControl(deps, actor, catalog.id, {
      name: `Control ${index}`,
      description: "",
      period: "DAILY",
      startDate: null,
      endDate: null,
      mashupId: "test-pass",
      params: {},
      threshold: 80,
      staleGraceMinutes: null,
    });
  }
  await updateCatalog(deps, actor, catalog.id, { status: "finalized" });
  const { rows } = await deps.db.query<BenchControl>(
    `select c.id, c.catalog_id as "catalogId", v.version, v.digest from controls c
       join control_versions v on v.control_id = c.id where c.catalog_id = $1 order by c.id`,
    [catalog.id],
  );
  return rows;
}

/**
 * Appends `changes` points, one round of windows at a time (one transaction per round, a point per control), each
 * the opposite result of the control's window before: every point is a state change and writes one event.
 */
async function produce(
  deps: AppDeps,
  controls: BenchControl[],
  receiver: Receiver,
  firstDay: number,
  changes: number,
  onHalf: () => void,
): Promise<void> {
  const rounds = Math.ceil(changes / controls.length);
  for (let round = 0; round < rounds; round += 1) {
    if (round === Math.floor(rounds / 2)) onHalf();
    const start = new Date((firstDay + round) * DAY).toISOString();
    const end = new Date((firstDay + round + 1) * DAY).toISOString();
    const result = (firstDay + round) % 2 === 0 ? "fail" : "pass";
    const inputs: PointInput[] = controls.map((control) => ({
      controlId: control.id,
      catalogId: control.catalogId,
      scope: {},
      scopeKey: "{}",
      windowStart: start,
      windowEnd: end,
      value: result === "pass" ? 100 : 0,
      threshold: 80,
      result,
      computationId: null,
      evidenceDigest: null,
      controlVersion: control.version,
      versionDigest: control.digest,
    }));
    await withTransaction(deps.db, async (tx) => {
      const heads = await lockChainHeads(
        tx,
        controls.map((control) => control.id),
      );
      await appendPoints(tx, heads, inputs, "engine");
    });
    const committed = Date.now();
    for (const control of controls) receiver.committedAt.set(`${control.id}|${start}`, committed);
    // Spread the changes a little, as windows closing across many controls would arrive.
    if (round % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function phase(
  deps: AppDeps,
  controls: BenchControl[],
  receiver: Receiver,
  firstDay: number,
  outageMs: number,
): Promise<void> {
  const expected = Math.ceil(CHANGES / controls.length) * controls.length;
  const before = receiver.accepted.size;
  receiver.latencies.length = 0;
  const started = performance.now();
  let outageEnded: Promise<void> = Promise.resolve();
  await produce(deps, controls, receiver, firstDay, CHANGES, () => {
    if (outageMs <= 0) return;
    receiver.isDown = true;
    outageEnded = new Promise((resolve) =>
      setTimeout(() => {
        receiver.isDown = false;
        resolve();
      }, outageMs),
    );
  });
  const producedSeconds = (performance.now() - started) / 1000;
  await outageEnded;
  const deadline = Date.now() + Math.max(120_000, outageMs * 4);
  while (receiver.accepted.size - before < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  const delivered = receiver.accepted.size - before;
  const twice = [...receiver.accepted.values()].filter((count) => count > 1).length;
  const sorted = [...receiver.latencies].sort((a, b) => a - b);
  const label = outageMs > 0 ? `receiver down ${outageMs / 1000} s mid-run` : "healthy receiver";
  console.log(
    `${label}: ${delivered}/${expected} delivered (${expected - delivered} lost), ${twice} ids answered 2xx twice; ` +
      `${(delivered / seconds).toFixed(0)} deliveries/s over ${seconds.toFixed(1)} s (points committed in ${producedSeconds.toFixed(1)} s); ` +
      `commit → delivery p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms` +
      (outageMs > 0 ? `; ${receiver.failedAnswers} attempts answered 503 during the outage` : ""),
  );
}

/**
 * The delivery capacity on its own: the changes are committed with no worker running, then one worker fans them out
 * and delivers the backlog; deliveries/s is the backlog over the time it took.
 */
async function drain(deps: AppDeps, controls: BenchControl[], receiver: Receiver): Promise<void> {
  const expected = Math.ceil(CHANGES / controls.length) * controls.length;
  const before = receiver.accepted.size;
  await produce(deps, controls, receiver, 10_000, CHANGES, () => undefined);
  const started = performance.now();
  const engine = startEngine(deps, { isWorker: true, isScheduler: false });
  try {
    const deadline = Date.now() + 300_000;
    while (receiver.accepted.size - before < expected && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await engine.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const delivered = receiver.accepted.size - before;
  console.log(
    `backlog drain: ${delivered}/${expected} delivered in ${seconds.toFixed(1)} s = ${(delivered / seconds).toFixed(0)} deliveries/s (one worker process)`,
  );
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_alerts");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATABASE_URL: scratch.url,
    DATABASE_POOL_MAX: "20",
    SCHEDULER_ENABLED: "false",
    OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
    WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
    WEBHOOK_POLL_INTERVAL_MS: "50",
    WEBHOOK_CONCURRENCY: "128",
  });
  const pool = new pg.Pool({ connectionString: config.database.url, max: config.database.poolMax });
  // Dropping the scratch database at the end ends connections the pool may still hold idle.
  pool.on("error", () => undefined);
  const runQueue = createMemoryRunQueue(log);
  const deps: AppDeps = createAppDeps({
    config,
    db: pool,
    cache: createMemoryCache(),
    log,
    runQueue,
    // No run is started here; the engine's run worker idles.
    nodeRed: createNodeRedClient({ baseUrl: "http://127.0.0.1:9", httpRoot: "/api/v1", user: "bench", password: "x" }),
    now: () => new Date(),
  });
  const receiver = await startReceiver();
  try {
    await runMigrations(pool, log);
    const actor = await benchActor(deps);
    const controls = await createControls(deps, actor);
    await createWebhook(deps, actor, {
      url: receiver.url,
      events: ["control.failing", "control.recovered"],
      format: "cloudevents",
      holdWindows: 1,
    });
    console.log(
      `STATUS alerts benchmark: ${CHANGES} state changes per phase over ${controls.length} controls, one webhook ` +
        `subscription on a loopback receiver; Postgres ${new URL(POSTGRES_URL).host}`,
    );
    await drain(deps, controls, receiver);
    const engine = startEngine(deps, { isWorker: true, isScheduler: false });
    try {
      await phase(deps, controls, receiver, 20_000, 0);
      if (OUTAGE_MS > 0) await phase(deps, controls, receiver, 30_000, OUTAGE_MS);
    } finally {
      await engine.stop();
    }
  } finally {
    await receiver.close();
    await runQueue.close();
    await pool.end();
    await scratch.drop();
  }
}

await main();
