/**
 * `npm run bench:scale`: the read paths of issue 19 item 5 at 1 million and 10 million points. For each size it makes
 * a scratch database, migrates it, loads 100 hourly controls (4 catalogs × 25) × 5 scope sets with valid hash chains
 * (each point hashed by the points module's one hash function, written in chain order), and prints p50/p95 of each
 * read path and of the Grafana views for a catalog and a year. The 10 M set has 10 × the history of the 1 M set, so a
 * 30-, 90- or 365-day request covers the same points at both sizes. Chain verification walks one more control's chain
 * of as many points as the size (at most 1 M; `--sizes 100k` and `--sizes 1m` show whether its memory stays flat).
 *
 *   --sizes 1m,10m       which sizes to run (default both; `--sizes 1m` for one, `--sizes 100k` to try it quickly)
 *   --repeats N          timed repetitions per read path (default 20)
 *   --keep               keep each size's scratch database (its name is printed) to EXPLAIN queries on; drop it after
 *   BENCH_POSTGRES_URL   server to create the scratch databases on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { parseArgs } from "node:util";
import pg from "pg";
import type { AppDeps } from "../src/deps.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { listCatalogCompliance } from "../src/modules/overview/index.ts";
import {
  listCatalogOverview,
  listFailingControls,
  listControlStatesOfCatalog,
} from "../src/modules/overview/overview.repository.ts";
import { pointHash, verifyPointChain } from "../src/modules/points/index.ts";
import { listPoints } from "../src/modules/points/points.repository.ts";
import {
  aggregatePoints,
  aggregatePointsByControl,
  listGuaranteePoints,
} from "../src/modules/registry/registry-api.repository.ts";
import { countStatements, createCpuMeter } from "./cpu-meter.ts";
import { createScratchDatabase } from "./scratch-database.ts";
import { loadVerifyChain } from "./verify-chain-data.ts";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1m,10m" },
    repeats: { type: "string", default: "20" },
    keep: { type: "boolean", default: false },
  },
});
const SIZES: Record<string, number> = { "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000 };
const REPEATS = Number(args.repeats);
const CATALOGS = 4;
const CONTROLS_PER_CATALOG = 25;
const SCOPES = 5;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const INSERT_BATCH = 5_000;
const log = createLogger("warn");

interface Control {
  id: string;
  catalogId: string;
  digest: string;
}

/** Catalogs, controls (finalized, hourly, each with version 1) and scope sets, in SQL. */
async function seedControls(pool: pg.Pool, hours: number, end: number): Promise<Control[]> {
  const start = new Date(end - (hours + 24) * HOUR).toISOString();
  await pool.query(
    `insert into catalogs (name, start_date, status, finalized_at, time_zone)
     select 'Catalog ' || c, $2::timestamptz, 'finalized', now(), 'UTC' from generate_series(1, $1) c`,
    [CATALOGS, start],
  );
  await pool.query(
    `insert into controls (catalog_id, name, period, mashup_id, threshold)
     select catalogs.id, 'Control ' || i, 'HOURLY', 'test-pass', 80 from catalogs cross join generate_series(1, $1) i`,
    [CONTROLS_PER_CATALOG],
  );
  await pool.query(
    `insert into scope_sets (control_id, values_key)
     select controls.id, '{"shard":"s' || s || '"}' from controls cross join generate_series(1, $1) s`,
    [SCOPES],
  );
  await pool.query(
    `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
     select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'benchmark' from controls`,
  );
  await pool.query("update controls set status = 'finalized', version = 1");
  const { rows } = await pool.query<Control>(
    `select c.id, c.catalog_id as "catalogId", v.digest from controls c
       join control_versions v on v.control_id = c.id and v.version = 1 order by c.id`,
  );
  return rows;
}

/**
 * One control's chain: `hours` hourly windows ending at `end`, each scope's point in turn, hashed and linked as the
 * append would. A point fails one window in 7 (per scope, shifted), passes otherwise; ids and times are fixed here.
 */
async function loadChain(pool: pg.Pool, control: Control, hours: number, end: number): Promise<void> {
  let prevHash: string | null = null;
  const createdAt = new Date(end).toISOString();
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = Object.keys(batch[0]!);
    await pool.query(
      `insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold,
                           result, control_version, hash_scheme, created_at, prev_hash, hash)
       select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[],
                            $8::timestamptz[], $9::numeric[], $10::numeric[], $11::text[], $12::int[], $13::smallint[],
                            $14::timestamptz[], $15::text[], $16::text[])`,
      columns.map((column) => batch.map((row) => row[column])),
    );
    batch = [];
  };
  for (let hour = 0; hour < hours; hour += 1) {
    const windowStart = new Date(end - (hours - hour) * HOUR).toISOString();
    const windowEnd = new Date(end - (hours - hour - 1) * HOUR).toISOString();
    for (let shard = 1; shard <= SCOPES; shard += 1) {
      const fails = (hour + shard) % 7 === 0;
      const point = {
        id: crypto.randomUUID(),
        controlId: control.id,
        catalogId: control.catalogId,
        source: "engine",
        scope: { shard: `s${shard}` },
        scopeKey: `{"shard":"s${shard}"}`,
        windowStart,
        windowEnd,
        value: fails ? 50 : 100,
        threshold: 80,
        result: fails ? "fail" : "pass",
        computationId: null,
        evidenceDigest: null,
        controlVersion: 1,
        versionDigest: control.digest,
        hashScheme: 2 as const,
        createdAt,
      };
      const hash = pointHash(prevHash, point);
      batch.push({
        id: point.id,
        controlId: point.controlId,
        catalogId: point.catalogId,
        source: point.source,
        scope: JSON.stringify(point.scope),
        scopeKey: point.scopeKey,
        windowStart,
        windowEnd,
        value: point.value,
        threshold: point.threshold,
        result: point.result,
        controlVersion: 1,
        hashScheme: 2,
        createdAt,
        prevHash,
        hash,
      });
      prevHash = hash;
      if (batch.length >= INSERT_BATCH) await flush();
    }
  }
  await flush();
  await pool.query("update controls set chain_head = $2, chain_length = $3 where id = $1", [
    control.id,
    prevHash,
    hours * SCOPES,
  ]);
}

/** Loads every chain, two controls at a time (chains are per control, so their seq orders never interleave). */
async function seed(pool: pg.Pool, total: number, end: number): Promise<Control[]> {
  const hours = Math.round(total / (CATALOGS * CONTROLS_PER_CATALOG * SCOPES));
  const controls = await seedControls(pool, hours, end);
  const queue = [...controls];
  const started = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      for (let control = queue.shift(); control; control = queue.shift()) await loadChain(pool, control, hours, end);
    }),
  );
  // The bulk load wrote the points directly: the read tables are rebuilt from them, as the migration's backfill does.
  await pool.query("select rebuild_point_reads()");
  await pool.query("vacuum analyze");
  console.log(
    `  loaded ${(hours * controls.length * SCOPES).toLocaleString("en")} points (${hours.toLocaleString("en")} hours × ` +
      `${controls.length} controls × ${SCOPES} scopes) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return controls;
}

async function percentiles(work: () => Promise<unknown>, repeats = REPEATS): Promise<{ p50: number; p95: number }> {
  await work(); // warm the cache
  const times: number[] = [];
  for (let index = 0; index < repeats; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.ceil(share * times.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function runSize(label: string, total: number): Promise<void> {
  console.log(`\n${label}: ${total.toLocaleString("en")} points`);
  const scratch = await createScratchDatabase(`status_bench_scale_${label}`);
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  pool.on("error", () => undefined);
  try {
    await runMigrations(pool, log);
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const controls = await seed(pool, total, end);
    const catalogId = controls[0]!.catalogId;
    const now = new Date(end);
    const since = (days: number) => new Date(end - days * DAY).toISOString();
    const page = { page: 1, pageSize: 50, sort: "-windowStart" } as const;
    const deepCursor = (await listPoints(pool, { ...page, catalogId, page: 500 })).nextCursor!;
    const deps = {
      db: pool,
      now: () => new Date(),
      metrics: { chainVerifications: { inc: () => undefined } },
    } as unknown as AppDeps;
    const paths: [string, () => Promise<unknown>][] = [
      ["GET /overview (compliance now)", () => listCatalogCompliance(pool, 50, now)],
      [
        "GET /overview compliance now + series, 30 days",
        () => listCatalogOverview(pool, { limit: 50, at: now, seriesSince: since(30) }),
      ],
      [
        "GET /overview compliance now + series, 365 days",
        () => listCatalogOverview(pool, { limit: 50, at: now, seriesSince: since(365) }),
      ],
      ["GET /overview failing points", () => listFailingControls(pool, 10)],
      ["GET /catalogs/:id/control-states", () => listControlStatesOfCatalog(pool, catalogId, now)],
      ["GET /points page 1, no filter", () => listPoints(pool, page)],
      ["GET /points?catalogId= page 1", () => listPoints(pool, { ...page, catalogId })],
      ["GET /points?catalogId= page 500 (offset)", () => listPoints(pool, { ...page, catalogId, page: 500 })],
      [
        "GET /points?catalogId= after page 500 (cursor)",
        () => listPoints(pool, { ...page, catalogId, cursor: deepCursor }),
      ],
      ["GET /registry/guarantees?catalog_id= page 1", () => listGuaranteePoints(pool, { catalogId }, 1, 50)],
      [
        "GET /registry/compliance all time",
        () => Promise.all([aggregatePoints(pool, { catalogId }), aggregatePointsByControl(pool, catalogId, {}, 1, 50)]),
      ],
      [
        "GET /registry/compliance 30 days",
        () =>
          Promise.all([
            aggregatePoints(pool, { catalogId, from: since(30) }),
            aggregatePointsByControl(pool, catalogId, { from: since(30) }, 1, 50),
          ]),
      ],
      [
        "Grafana catalog_compliance_daily, 1 catalog, 365 days",
        () =>
          pool.query(
            `select day, catalog_name, compliance from reporting.catalog_compliance_daily
              where catalog_id = $1 and day >= $2::timestamptz at time zone 'UTC' and compliance is not null order by day`,
            [catalogId, since(365)],
          ),
      ],
      [
        "Grafana catalog_compliance_daily, all catalogs, 365 days",
        () =>
          pool.query(
            `select catalog_name, sum(points), sum(passed), sum(failed) from reporting.catalog_compliance_daily
              where day >= $1::timestamptz at time zone 'UTC' group by catalog_name`,
            [since(365)],
          ),
      ],
      [
        "Grafana control_status, failing",
        () =>
          pool.query(
            "select * from reporting.control_status where result = 'fail' order by catalog_name, control_name",
          ),
      ],
      [
        "Grafana control_states, stale",
        () => pool.query("select * from reporting.control_states where state = 'stale'"),
      ],
    ];
    for (const [name, work] of paths) {
      const { p50, p95 } = await percentiles(work);
      console.log(`  ${name.padEnd(58)} p50 ${p50.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms`);
    }
    // Chain verification: one control's chain of up to 1 M points (one in ten with evidences, half of those pruned),
    // walked from its first point (no checkpoint), then resumed from the checkpoint that walk stored. CPU time per
    // 1,000 points (this process; the database's backends) holds still on a busy machine, where points/s does not.
    const chainLength = Math.min(total, 1_000_000);
    const loading = performance.now();
    const chainControlId = await loadVerifyChain(pool, catalogId, chainLength, end);
    console.log(
      `  loaded a chain of ${chainLength.toLocaleString("en")} points for verification in ${((performance.now() - loading) / 1000).toFixed(0)} s`,
    );
    countStatements();
    const meter = createCpuMeter(pool, scratch.name, () => undefined);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const cpuBefore = await meter.sample();
    const walk = await percentiles(async () => {
      await pool.query("delete from point_chain_checkpoints");
      const verification = await verifyPointChain(deps, chainControlId);
      if (!verification.isIntact || verification.pointCount !== chainLength)
        throw new Error(`chain broken: ${verification.problem}`);
    }, 3);
    const cpuAfter = await meter.sample();
    clearInterval(sampler);
    const resumed = await percentiles(() => verifyPointChain(deps, chainControlId, { resume: true }));
    console.log(
      `  GET /controls/:id/points/verify, ${chainLength.toLocaleString("en")} points from the start  p50 ${walk.p50.toFixed(0)} ms ` +
        `(${Math.round(chainLength / (walk.p50 / 1000)).toLocaleString("en")} points/s, RSS +${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB; ` +
        `per 1,000 points ${meter.perItem(cpuBefore, cpuAfter, (4 * chainLength) / 1000)})`,
    );
    console.log(
      `  GET /controls/:id/points/verify, from its checkpoint  p50 ${resumed.p50.toFixed(1)} ms   p95 ${resumed.p95.toFixed(1)} ms`,
    );
  } finally {
    await pool.end();
    if (args.keep) {
      await scratch.keep();
      console.log(`  kept the database ${scratch.name} (drop database ${scratch.name} when done)`);
    } else await scratch.drop();
  }
}

const [load1, load5] = (await import("node:os")).loadavg();
console.log(
  `bench:scale on ${(await import("node:os")).cpus().length} cores, load average ${load1!.toFixed(1)} / ${load5!.toFixed(1)}`,
);
for (const label of args.sizes.split(",")) {
  const total = SIZES[label.trim()];
  if (!total) throw new Error(`Unknown size ${label}: use 100k, 1m and/or 10m`);
  await runSize(label.trim(), total);
}
