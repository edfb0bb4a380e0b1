/**
 * `npm run bench:states`: the overview's "compliance now" query on a large data set, through reporting.control_states
 * (each control's state, stale included, counted in controls), against the baseline measured in the same run on the
 * same data: the query it replaced (the latest point of every control and scope, reporting.control_status, counted
 * in control × scope pairs). Prints the median of each, their ratio, and EXPLAIN (ANALYZE, BUFFERS) of both.
 *
 *   BENCH_CATALOGS   catalogs (default 20)
 *   BENCH_CONTROLS   controls per catalog (default 25)
 *   BENCH_SCOPES     scope sets per control (default 4)
 *   BENCH_DAYS       daily points per control and scope (default 365)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import pg from "pg";
import { runMigrations } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { FAILED_CONTROLS_SQL, listCatalogCompliance } from "../src/modules/overview/index.ts";
import { seedFinalizedControls } from "./finalized-controls.ts";
import { createScratchDatabase } from "./scratch-database.ts";

const CATALOGS = Number(process.env.BENCH_CATALOGS ?? 20);
const CONTROLS = Number(process.env.BENCH_CONTROLS ?? 25);
const SCOPES = Number(process.env.BENCH_SCOPES ?? 4);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const REPEATS = 7;
const log = createLogger("warn");

/** The overview's query before stale existed (main before issue 12 item 4), kept here as the baseline. */
const BASELINE_SQL = `select catalogs.id as "catalogId", catalogs.name as "catalogName", catalogs.status,
        (select count(*) from controls where controls.catalog_id = catalogs.id)::int as "controlCount",
        count(latest.control_id)::int as evaluated,
        count(*) filter (where latest.result = 'pass')::int as passing,
        count(*) filter (where latest.result = 'fail')::int as failing,
        round(100.0 * count(*) filter (where latest.result = 'pass')
              / nullif(count(*) filter (where latest.result in ('pass', 'fail')), 0), 2) as compliance
   from catalogs
   left join reporting.control_status latest on latest.catalog_id = catalogs.id
  group by catalogs.id
  order by lower(catalogs.name), catalogs.id
  limit $1`;

const NEW_SQL = `select catalogs.id, count(states.control_id), count(*) filter (where states.state = 'stale')
   from catalogs
   left join (select catalog_id, control_id, last_result,
                     reporting.control_state(is_active, stale_at, last_result, $2) as state
                from reporting.control_states) states on states.catalog_id = catalogs.id
  group by catalogs.id
  order by lower(catalogs.name), catalogs.id
  limit $1`;

/**
 * Finalized catalogs and controls (each with its version 1 and scope sets) and a year of daily points per scope,
 * written straight in SQL: the query reads them, the hash chain plays no part in it. Every tenth control stopped a
 * month ago (stale now), the rest are current.
 */
async function seed(pool: pg.Pool): Promise<number> {
  await seedFinalizedControls(pool, {
    catalogs: CATALOGS,
    controlsPerCatalog: CONTROLS,
    scopes: SCOPES,
    period: "DAILY",
    startDate: new Date(Date.now() - (DAYS + 1) * 86_400_000).toISOString(),
    shardPrefix: "",
  });
  const inserted = await pool.query(
    `insert into points (control_id, catalog_id, scope, scope_key, window_start, window_end, value, threshold, result, hash)
     select c.id, c.catalog_id, ss.values_key::jsonb, ss.values_key, day, day + interval '1 day',
            case when d % 7 = 0 then 50 else 100 end, 80, case when d % 7 = 0 then 'fail' else 'pass' end, md5(ss.id::text || d)
       from controls c
       join scope_sets ss on ss.control_id = c.id
       cross join generate_series(1, $1) d
       cross join lateral (select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                                   - (d + case when right(c.name, 1) = '0' then 30 else 0 end) * interval '1 day' as day) w`,
    [DAYS],
  );
  // Points written directly, not through the append: the read tables (migration 0063) are rebuilt from them.
  await pool.query("select rebuild_point_reads()");
  await pool.query("analyze");
  return inserted.rowCount ?? 0;
}

async function medianMs(work: () => Promise<unknown>): Promise<number> {
  await work(); // warm the cache: both queries read the same pages
  const times: number[] = [];
  for (let index = 0; index < REPEATS; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
}

async function explain(pool: pg.Pool, sql: string, values: unknown[]): Promise<string> {
  const { rows } = await pool.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${sql}`, values);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_states");
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  pool.on("error", () => undefined);
  try {
    await runMigrations(pool, log);
    const points = await seed(pool);
    const now = new Date();
    const baseline = await medianMs(() => pool.query(BASELINE_SQL, [50]));
    const states = await medianMs(() => listCatalogCompliance(pool, 50, now));
    const sample = (await listCatalogCompliance(pool, 50, now))[0]!;
    console.log(
      `${CATALOGS} catalogs × ${CONTROLS} controls × ${SCOPES} scopes, ${points} points; first catalog: ` +
        `${sample.passing} passing, ${sample.failing} failing, ${sample.stale} stale of ${sample.controlCount}`,
    );
    console.log(`baseline (latest point per control and scope, reporting.control_status): ${baseline.toFixed(1)} ms`);
    console.log(`states (reporting.control_states, stale included):                       ${states.toFixed(1)} ms`);
    console.log(`ratio states / baseline: ${(states / baseline).toFixed(2)}`);
    // "Failed in this period" (issue 13): every control fails one day in seven, so all of them are listed. Vacuumed
    // first, as autovacuum would have by then: its index-only scans rely on the visibility map.
    await pool.query("vacuum analyze points");
    const DAY_MS = 86_400_000;
    const failuresValues = (days: number) => [
      new Date(now.getTime() - days * DAY_MS).toISOString(),
      now.toISOString(),
      null,
      now,
      500,
    ];
    for (const days of [30, 365]) {
      const failures = await medianMs(() => pool.query(FAILED_CONTROLS_SQL, failuresValues(days)));
      console.log(`failures of the last ${days} days (GET /overview/failures):              ${failures.toFixed(1)} ms`);
    }
    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS) failures, 30 days:\n${await explain(pool, FAILED_CONTROLS_SQL, failuresValues(30))}`,
    );
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) baseline:\n${await explain(pool, BASELINE_SQL, [50])}`);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) states:\n${await explain(pool, NEW_SQL, [50, now])}`);
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

await main();
