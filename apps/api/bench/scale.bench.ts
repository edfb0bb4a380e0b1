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
 *   --database NAME      time the read paths on a kept database instead of loading one (with one `--sizes` label, for
 *                        the printout): it is migrated first, so a new index or view is measured on the same data
 *   --skip-check         skip comparing the derived tables with their sources after the load (derived-tables.ts; at
 *                        10 M it rebuilds them in a rolled-back transaction, a few minutes)
 *   BENCH_POSTGRES_URL   server to create the scratch databases on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { parseArgs } from "node:util";
import pg from "pg";
import type { AppDeps } from "../src/deps.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { listCatalogCompliance, listControlStates, listFailures } from "../src/modules/overview/index.ts";
import {
  listCatalogOverview,
  listFailingControls,
  listControlStatesOfCatalog,
} from "../src/modules/overview/overview.repository.ts";
import { getOverview } from "../src/modules/overview/overview.service.ts";
import { verifyPointChain } from "../src/modules/points/index.ts";
import { listPoints } from "../src/modules/points/points.repository.ts";
import {
  aggregatePoints,
  aggregatePointsByControl,
  listGuaranteePoints,
} from "../src/modules/registry/registry-api.repository.ts";
import { getRegistryTrends } from "../src/modules/registry/registry-api.service.ts";
import { countStatements, createCpuMeter } from "./cpu-meter.ts";
import { derivedTableDrift } from "./derived-tables.ts";
import { seed, type Control } from "./scale-data.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";
import { loadVerifyChain } from "./verify-chain-data.ts";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1m,10m" },
    repeats: { type: "string", default: "20" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
    "skip-check": { type: "boolean", default: false },
  },
});
const SIZES: Record<string, number> = { "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000 };
const REPEATS = Number(args.repeats);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const log = createLogger("warn");

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

/** The catalog the catalog-scoped paths read: the first control's (by id), as when the data was loaded. */
async function loadedControls(pool: pg.Pool): Promise<{ controls: Control[]; end: number }> {
  const { rows } = await pool.query<Control>(
    `select c.id, c.catalog_id as "catalogId", v.digest from controls c
       join control_versions v on v.control_id = c.id and v.version = 1
      where c.name not like 'Long chain %' order by c.id`,
  );
  const { rows: ends } = await pool.query<{ end: number }>(
    `select (extract(epoch from max(window_end)) * 1000)::float8 as "end" from point_latest`,
  );
  return { controls: rows, end: ends[0]!.end };
}

async function runSize(label: string, total: number): Promise<void> {
  const reused = args.database;
  console.log(`\n${label}: ${reused ? `the database ${reused}` : `${total.toLocaleString("en")} points`}`);
  const scratch = reused ? undefined : await createScratchDatabase(`status_bench_scale_${label}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${scratch?.name ?? reused}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pool.on("error", () => undefined);
  try {
    await runMigrations(pool, log);
    const loaded = reused
      ? await loadedControls(pool)
      : await (async () => {
          const end = Math.floor(Date.now() / HOUR) * HOUR;
          return { controls: await seed(pool, total, end), end };
        })();
    const { controls, end } = loaded;
    if (!args["skip-check"]) {
      const checking = performance.now();
      const drift = await derivedTableDrift(pool);
      const drifted = Object.entries(drift).filter(([, rows]) => rows > 0);
      console.log(
        `  derived tables ${drifted.length === 0 ? "match their sources" : `DIFFER from their sources: ${JSON.stringify(drift)}`}` +
          ` (checked in ${((performance.now() - checking) / 1000).toFixed(0)} s)`,
      );
    }
    const catalogId = controls[0]!.catalogId;
    const controlId = controls[0]!.id;
    const now = new Date(end);
    const since = (days: number) => new Date(end - days * DAY).toISOString();
    const page = { page: 1, pageSize: 50, sort: "-windowStart" } as const;
    const deepCursor = (await listPoints(pool, { ...page, catalogId, page: 500 })).nextCursor!;
    const deps = {
      db: pool,
      now: () => now,
      metrics: { chainVerifications: { inc: () => undefined } },
    } as unknown as AppDeps;
    const trends = (period: "daily" | "weekly" | "monthly", from?: string) =>
      getRegistryTrends(deps, { control_id: controlId, period, from, page: 1, pageSize: 50 });
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
      ["GET /overview?days=1 (whole answer)", () => getOverview(deps, { days: 1 })],
      ["GET /overview?days=30 (whole answer)", () => getOverview(deps, { days: 30 })],
      ["GET /overview?days=366 (whole answer)", () => getOverview(deps, { days: 366 })],
      ["GET /overview/failures, 30 days", () => listFailures(deps, { from: since(30) })],
      ["GET /overview/failures, 365 days", () => listFailures(deps, { from: since(365) })],
      ["GET /catalogs/:id/control-states", () => listControlStatesOfCatalog(pool, catalogId, now)],
      ["GET /catalogs/:id/control-states (whole answer)", () => listControlStates(deps, catalogId)],
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
      ["GET /registry/trends daily, all time (page 1)", () => trends("daily")],
      ["GET /registry/trends monthly, all time", () => trends("monthly")],
      ["GET /registry/trends weekly, 365 days", () => trends("weekly", since(365))],
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
        "Grafana catalog_compliance_daily, per day, 365 days",
        () =>
          pool.query(
            `select day, sum(failed), sum(passed) from reporting.catalog_compliance_daily
              where day >= $1::timestamptz at time zone 'UTC' group by 1 order by 1`,
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
    // A reused database has its chain already.
    const loading = performance.now();
    const { rows: chains } = await pool.query<{ id: string; length: number }>(
      "select id, chain_length::int as length from controls where name like 'Long chain %' order by chain_length desc limit 1",
    );
    if (reused && !chains[0]?.length) {
      console.log("  no complete chain to verify in this database");
      return;
    }
    const chainLength = reused ? chains[0]!.length : Math.min(total, 1_000_000);
    const chainControlId = reused ? chains[0]!.id : await loadVerifyChain(pool, catalogId, chainLength, end);
    console.log(
      `  loaded a chain of ${chainLength.toLocaleString("en")} points for verification in ${((performance.now() - loading) / 1000).toFixed(0)} s`,
    );
    countStatements();
    const meter = createCpuMeter(pool, scratch?.name ?? reused!, () => undefined);
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
    if (scratch && args.keep) {
      await scratch.keep();
      console.log(`  kept the database ${scratch.name} (drop database ${scratch.name} when done)`);
    } else await scratch?.drop();
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
