/**
 * `npm run bench:exports`: the auditors' exports of issue 17 at scale.
 *
 * A catalog of BENCH_CONTROLS controls × BENCH_SCOPES scope sets × BENCH_DAYS daily windows (defaults 100 × 5 × 365:
 * 182,500 points with 3 evidences each, 547,500 evidences), generated straight into a scratch database with valid hash
 * chains (scheme 1, computed with the points module's pointHash), removed afterwards with the pack's files. Measured:
 * 1. the evidence pack of the whole year, built as the worker builds it (claim, build, ZIP) in a process of its own, as
 *    a worker is: time and that process's peak RSS (target < 60 s, < 400 MB; the seeding's garbage in this process is
 *    not the pack's), with each stage's time and RSS; then verified offline by the verifier package;
 * 2. the OSCAL assessment results of the year (the service and its JSON, no HTTP) for a demo-sized catalog (5 controls,
 *    one scope set: target < 2 s) and for the whole bench catalog.
 *
 *   BENCH_CONTROLS, BENCH_SCOPES, BENCH_DAYS   the size (defaults 100, 5, 365)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { evidenceDigest } from "@status/verify-pack/chain-hash";
import { verifyPack } from "@status/verify-pack";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { loadConfig } from "../src/config.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createEnginelessDeps } from "../src/create-app-deps.ts";
import type { AppDeps } from "../src/deps.ts";
import { createLogger } from "../src/logger.ts";
import {
  exportAssessmentResults,
  processNextEvidencePack,
  streamAssessmentResults,
} from "../src/modules/assessments/index.ts";
import { createCatalog } from "../src/modules/catalogs/index.ts";
import { pointHash } from "../src/modules/points/index.ts";
import { createUser } from "../src/modules/users/index.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";

const CONTROLS = Number(process.env.BENCH_CONTROLS ?? 100);
const SCOPES = Number(process.env.BENCH_SCOPES ?? 5);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const DAY = 86_400_000;
const FROM = Date.UTC(2025, 0, 1);
const log = createLogger("warn");

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** The demo catalog's size: 5 controls, evaluated for one scope set. */
const DEMO_CONTROLS = 5;

/** One control's chain: runs, computations, evidences and chained points, inserted in four statements. */
async function seedControl(pool: pg.Pool, catalogId: string, index: number, scopes = SCOPES): Promise<void> {
  const controlId = randomUUID();
  const runs: object[] = [];
  const computations: object[] = [];
  const evidences: object[] = [];
  const points: object[] = [];
  let previous: string | null = null;
  for (let day = 0; day < DAYS; day += 1) {
    const windowStart = new Date(FROM + day * DAY).toISOString();
    const windowEnd = new Date(FROM + (day + 1) * DAY).toISOString();
    for (let scope = 0; scope < scopes; scope += 1) {
      const runId = randomUUID();
      const computationId = randomUUID();
      const scopeKey = `{"env":"e${scope}"}`;
      const isFailing = index % 10 === 0 && day % 30 === 7;
      const own = [0, 1, 2].map((position) => ({
        position,
        key: `resource-${position}`,
        value: { id: `r${position}`, ok: !(isFailing && position > 0) },
        result: isFailing && position > 0 ? "fail" : "pass",
        from: windowStart,
        to: windowEnd,
      }));
      const digest = evidenceDigest(own);
      const value = isFailing ? "33.333" : "100.000";
      const point = {
        id: randomUUID(),
        controlId,
        source: "engine",
        scopeKey,
        windowStart,
        windowEnd,
        value,
        threshold: "80.00",
        result: isFailing ? "fail" : "pass",
        computationId,
        evidenceDigest: digest,
        hashScheme: 1 as const,
      };
      const hash = pointHash(previous, point);
      runs.push({ id: runId, scopeKey, windowStart, windowEnd });
      computations.push({
        id: computationId,
        runId,
        scopeKey,
        windowStart,
        windowEnd,
        value,
        result: point.result,
        digest,
      });
      for (const evidence of own) evidences.push({ computationId, ...evidence });
      points.push({ ...point, prevHash: previous, hash, scope: { env: `e${scope}` } });
      previous = hash;
    }
  }
  await pool.query(
    `insert into controls (id, catalog_id, name, period, threshold, status, chain_head, chain_length)
     values ($1, $2, $3, 'DAILY', 80, 'draft', $4, $5)`,
    [controlId, catalogId, `Control ${String(index).padStart(3, "0")}`, previous, points.length],
  );
  await pool.query(
    `insert into runs (id, control_id, scope_key, window_start, window_end, is_provisional, trigger, status, max_attempts)
     select x.id, $2, x."scopeKey", x."windowStart", x."windowEnd", false, 'backfill', 'succeeded', 1
       from jsonb_to_recordset($1::jsonb) as x(id uuid, "scopeKey" text, "windowStart" timestamptz, "windowEnd" timestamptz)`,
    [JSON.stringify(runs), controlId],
  );
  await pool.query(
    `insert into computations (id, run_id, control_id, scope, scope_key, window_start, window_end, is_provisional, status,
       evidence_count, pass_count, fail_count, compliance, result, evidence_digest, completed_at)
     select x.id, x."runId", $2, x."scopeKey"::jsonb, x."scopeKey", x."windowStart", x."windowEnd", false, 'ready', 3,
            case when x.result = 'fail' then 1 else 3 end, case when x.result = 'fail' then 2 else 0 end,
            x.value, x.result, x.digest, x."windowEnd"
       from jsonb_to_recordset($1::jsonb) as x(id uuid, "runId" uuid, "scopeKey" text, "windowStart" timestamptz,
            "windowEnd" timestamptz, value numeric, result text, digest text)`,
    [JSON.stringify(computations), controlId],
  );
  await pool.query(
    `insert into evidences (computation_id, position, key, value, result, period_from, period_to)
     select x."computationId", x.position, x.key, x.value, x.result, x."from", x."to"
       from jsonb_to_recordset($1::jsonb) as x("computationId" uuid, position int, key text, value jsonb, result text,
            "from" timestamptz, "to" timestamptz)`,
    [JSON.stringify(evidences)],
  );
  await pool.query(
    `insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold,
       result, computation_id, evidence_digest, prev_hash, hash, hash_scheme)
     select x.id, x."controlId", $2, x.source, x.scope, x."scopeKey", x."windowStart", x."windowEnd", x.value, x.threshold,
            x.result, x."computationId", x."evidenceDigest", x."prevHash", x.hash, 1
       from jsonb_to_recordset($1::jsonb) as x(id uuid, "controlId" uuid, source text, scope jsonb, "scopeKey" text,
            "windowStart" timestamptz, "windowEnd" timestamptz, value numeric, threshold numeric, result text,
            "computationId" uuid, "evidenceDigest" text, "prevHash" text, hash text)
      order by x."windowStart", x."scopeKey"`,
    [JSON.stringify(points), catalogId],
  );
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_exports");
  const dataDir = path.join(process.cwd(), "data", `bench-exports-${process.pid}`);
  const setup: BenchSetup = { databaseUrl: scratch.url, dataDir, jwtSecret: randomBytes(32).toString("hex") };
  const { pool, deps } = benchDeps(setup);
  try {
    await runMigrations(pool, log);
    const user = await createUser(deps, null, {
      username: "bench",
      password: randomBytes(16).toString("hex"),
      role: "ADMIN",
    });
    const actor = { userId: user.id, username: "bench", role: "ADMIN" as const, authMethod: "session" as const };
    const catalog = await createCatalog(deps, actor, {
      name: "Exports bench",
      description: "",
      startDate: null,
      endDate: null,
      timeZone: "UTC",
      firstDayOfWeek: 1,
    });
    const demo = await createCatalog(deps, actor, {
      name: "Demo-sized catalog",
      description: "",
      startDate: null,
      endDate: null,
      timeZone: "UTC",
      firstDayOfWeek: 1,
    });
    const seeding = performance.now();
    for (let index = 0; index < CONTROLS; index += 1) await seedControl(pool, catalog.id, index);
    for (let index = 0; index < DEMO_CONTROLS; index += 1) await seedControl(pool, demo.id, index, 1);
    // Points written directly, not through the append: the read tables (migration 0063) are rebuilt from them.
    await pool.query("select rebuild_point_reads()");
    await pool.query("analyze controls, runs, computations, evidences, points");
    const counts = await pool.query<{ points: number; evidences: number }>(
      `select (select count(*) from points where catalog_id = $1)::int as points,
              (select count(*) from evidences e join points p on p.computation_id = e.computation_id
                where p.catalog_id = $1)::int as evidences`,
      [catalog.id],
    );
    console.log(
      `STATUS exports benchmark; Postgres ${new URL(POSTGRES_URL).host}; ${CONTROLS} controls × ${SCOPES} scopes × ${DAYS} days: ` +
        `${counts.rows[0]!.points} points, ${counts.rows[0]!.evidences} evidences (seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`,
    );
    const period = { from: new Date(FROM).toISOString(), to: new Date(FROM + DAYS * DAY).toISOString() };
    await pool.query("insert into evidence_packs (catalog_id, period_from, period_to) values ($1, $2, $3)", [
      catalog.id,
      period.from,
      period.to,
    ]);
    const built = await buildPackInChild(setup);
    const pack = await pool.query<{ status: string; error: string | null; size: string; fileName: string }>(
      `select status, error, size_bytes::text as size, file_name as "fileName" from evidence_packs`,
    );
    const row = pack.rows[0]!;
    if (row.status !== "done") throw new Error(`the pack failed: ${row.error}`);
    console.log(
      `evidence pack of the year: ${built.seconds.toFixed(1)} s (target < 60 s), ZIP ${(Number(row.size) / 1024 / 1024).toFixed(1)} MB; ` +
        `peak RSS ${built.peakMb.toFixed(0)} MB (the building process's; RSS ${built.rssBeforeMb.toFixed(0)} MB before it started; target < 400 MB) ${built.seconds < 60 && built.peakMb < 400 ? "(within)" : "(OVER)"}`,
    );
    console.log(`  stages: ${built.stages.join("; ")}`);
    const verifying = performance.now();
    const verification = await verifyPack(path.join(dataDir, "evidence-packs", row.fileName));
    console.log(
      `offline verification: ${verification.isValid ? "intact" : `NOT intact: ${verification.problems.slice(0, 3).join("; ")}`} in ${((performance.now() - verifying) / 1000).toFixed(1)} s`,
    );
    for (const [label, catalogId, target] of [
      [`a demo-sized catalog (${DEMO_CONTROLS} controls × 1 scope set × ${DAYS} days)`, demo.id, 2],
      [`the bench catalog (${CONTROLS * SCOPES * DAYS} points)`, catalog.id, null],
    ] as const) {
      // As the route answers: written as read. Then, for comparison, the document built whole and stringified.
      const streamed = await heapMeter(async () => {
        let chars = 0;
        await streamAssessmentResults(deps, {
          catalogId,
          period,
          onReady: () => undefined,
          write: async (text) => {
            chars += text.length;
          },
        });
        return chars;
      });
      const whole = await heapMeter(async () =>
        Promise.resolve(JSON.stringify(await exportAssessmentResults(deps, { catalogId, period })).length),
      );
      const within =
        target === null ? "" : ` (target < ${target} s) ${streamed.seconds < target ? "(within)" : "(OVER)"}`;
      console.log(
        `OSCAL assessment results of the year for ${label}, ${(streamed.value / 1024 / 1024).toFixed(1)} MB: ` +
          `streamed ${streamed.seconds.toFixed(2)} s, heap +${streamed.peakHeapMb.toFixed(0)} MB${within}; ` +
          `built whole ${whole.seconds.toFixed(2)} s, heap +${whole.peakHeapMb.toFixed(0)} MB`,
      );
    }
  } finally {
    await pool.end();
    await scratch.drop();
    // The pack's ZIP and its parts: a bench leaves nothing behind.
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `work`'s answer, time and the most its heap grew above where it started (sampled every 10 ms, after a GC). */
async function heapMeter<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakHeapMb: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const started = performance.now();
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, seconds: (performance.now() - started) / 1000, peakHeapMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The pack's stages as the builder reports them: each one's duration and the highest RSS sampled while it ran (every
 * 20 ms; the process's peak above is the exact figure, these say where it was reached).
 */
function stageMeter(started: number) {
  const stages: { name: string; startedAt: number; peakMb: number }[] = [
    { name: "claim", startedAt: started, peakMb: rssMb() },
  ];
  const sample = () => {
    const current = stages.at(-1)!;
    current.peakMb = Math.max(current.peakMb, rssMb());
  };
  const timer = setInterval(sample, 20);
  return {
    enter(name: string) {
      sample();
      stages.push({ name, startedAt: performance.now(), peakMb: rssMb() });
    },
    finish(): string[] {
      sample();
      clearInterval(timer);
      const ended = performance.now();
      return stages.map(
        (stage, index) =>
          `${stage.name} ${(((stages[index + 1]?.startedAt ?? ended) - stage.startedAt) / 1000).toFixed(1)} s, RSS ≤ ${stage.peakMb.toFixed(0)} MB`,
      );
    },
  };
}

interface BenchSetup {
  databaseUrl: string;
  dataDir: string;
  jwtSecret: string;
}

/** What the pack's process reports back. */
interface BuiltPack {
  seconds: number;
  peakMb: number;
  rssBeforeMb: number;
  stages: string[];
}

function benchDeps(setup: BenchSetup): { pool: pg.Pool; deps: AppDeps } {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    JWT_SECRET: setup.jwtSecret,
    DATABASE_URL: setup.databaseUrl,
    DATA_DIR: setup.dataDir,
  });
  const pool = new pg.Pool({ connectionString: config.database.url!, max: 4 });
  pool.on("error", () => undefined);
  const deps: AppDeps = createEnginelessDeps({ config, db: pool, cache: createMemoryCache(), log });
  return { pool, deps };
}

/** Runs this file again as the pack's process (BENCH_EXPORTS_PACK) and answers what it measured. */
function buildPackInChild(setup: BenchSetup): Promise<BuiltPack> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, BENCH_EXPORTS_PACK: JSON.stringify(setup) },
      execArgv: process.execArgv,
    });
    let built: BuiltPack | undefined;
    // Only the pack's report: a loader in the child (tsx) may use the same channel.
    child.on("message", (message) => {
      const report = (message as { benchExportsPack?: BuiltPack } | null)?.benchExportsPack;
      if (report) built = report;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      built ? resolve(built) : reject(new Error(`the pack's process exited with ${code} before reporting`)),
    );
  });
}

/** In the pack's process: builds the queued pack as a worker does and reports its time, peak RSS and stages. */
async function buildPack(setup: BenchSetup): Promise<void> {
  const { pool, deps } = benchDeps(setup);
  try {
    const rssBeforeMb = rssMb();
    const started = performance.now();
    const stages = stageMeter(started);
    await processNextEvidencePack(deps, { onStage: (stage) => stages.enter(stage) });
    const seconds = (performance.now() - started) / 1000;
    const built: BuiltPack = { seconds, peakMb: peakRssMb(), rssBeforeMb, stages: stages.finish() };
    await new Promise((resolve) => process.send!({ benchExportsPack: built }, resolve));
  } finally {
    await pool.end();
  }
}

const packSetup = process.env.BENCH_EXPORTS_PACK;
if (packSetup) await buildPack(JSON.parse(packSetup) as BenchSetup);
else await main();
process.exit(0);
