/**
 * `npm run bench:retention`: prunes expired computation detail (evidences) with the daily job's batches and compares
 * it, in the same run on the same amount of data, with the naive baseline of one statement that removes everything at
 * once: the time taken, and what matters on a live system, the longest open transaction (how long rows stay locked),
 * watched from a separate connection for both in the same way.
 *
 *   BENCH_COMPUTATIONS   computations per data set (default 20000)
 *   BENCH_EVIDENCES      evidences per computation (default 20)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { loadConfig } from "../src/config.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createEnginelessDeps } from "../src/create-app-deps.ts";
import type { AppDeps } from "../src/deps.ts";
import type { Actor } from "../src/domain/actor.ts";
import { createLogger } from "../src/logger.ts";
import { createCatalog } from "../src/modules/catalogs/index.ts";
import { createControl } from "../src/modules/controls/index.ts";
import { pruneExpiredRecords } from "../src/modules/retention/index.ts";
import { createUser } from "../src/modules/users/index.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";

const COMPUTATIONS = Number(process.env.BENCH_COMPUTATIONS ?? 20_000);
const EVIDENCES = Number(process.env.BENCH_EVIDENCES ?? 20);
const DAY = 86_400_000;
const log = createLogger("warn");

/** Inserts one data set: finished runs, their ready computations (two years old) and their evidences. */
async function seed(pool: pg.Pool, controlId: string): Promise<void> {
  const completedAt = new Date(Date.now() - 730 * DAY);
  await pool.query(
    `insert into runs (control_id, scope_key, window_start, window_end, is_provisional, trigger, status, max_attempts, created_at, finished_at)
     select $1, 'k' || i, $2::timestamptz + i * interval '1 minute', $2::timestamptz + (i + 1) * interval '1 minute',
            false, 'backfill', 'succeeded', 1, $2, $2
       from generate_series(1, $3) as i`,
    [controlId, completedAt, COMPUTATIONS],
  );
  await pool.query(
    `insert into computations (run_id, control_id, scope, scope_key, window_start, window_end, is_provisional, status,
                               evidence_count, pass_count, compliance, result, evidence_digest, completed_at, flow_value)
     select r.id, r.control_id, '{}'::jsonb, r.scope_key, r.window_start, r.window_end, false, 'ready', $2, $2, 100, 'pass',
            md5(r.id::text) || md5(r.scope_key), $3, '{"raw": true}'::jsonb
       from runs r where r.control_id = $1`,
    [controlId, EVIDENCES, completedAt],
  );
  await pool.query(
    `insert into evidences (computation_id, position, key, value, result)
     select c.id, p, 'repo-' || p, jsonb_build_object('reviewed', true, 'by', 'someone'), 'pass'
       from computations c cross join generate_series(0, $2 - 1) as p where c.control_id = $1`,
    [controlId, EVIDENCES],
  );
  await pool.query("analyze runs, computations, evidences");
}

/**
 * Watches the database's open transactions from a connection of its own while `work` runs: the longest one seen is
 * how long rows stayed locked.
 */
async function longestTransactionDuring<T>(
  url: string,
  work: () => Promise<T>,
): Promise<{ result: T; longestMs: number }> {
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  let longestMs = 0;
  let isDone = false;
  const watching = (async () => {
    while (!isDone) {
      const { rows } = await watcher.query<{ ms: number }>(
        `select coalesce(max(extract(epoch from clock_timestamp() - xact_start) * 1000), 0)::float8 as ms
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`,
      );
      longestMs = Math.max(longestMs, rows[0]?.ms ?? 0);
    }
  })();
  try {
    return { result: await work(), longestMs };
  } finally {
    isDone = true;
    await watching;
    await watcher.end();
  }
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_retention");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATABASE_URL: scratch.url,
  });
  const databaseUrl = config.database.url!;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // Dropping the scratch database at the end terminates idle connections; that is expected, not a failure.
  pool.on("error", () => undefined);
  const deps: AppDeps = createEnginelessDeps({ config, db: pool, cache: createMemoryCache(), log });
  try {
    await runMigrations(pool, log);
    const user = await createUser(deps, null, {
      username: "bench",
      password: randomBytes(16).toString("hex"),
      role: "ADMIN",
    });
    const actor: Actor = { userId: user.id, username: "bench", role: "ADMIN", authMethod: "session" };
    const catalog = await createCatalog(deps, actor, {
      name: "Retention benchmark",
      description: "",
      startDate: "2020-01-01T00:00:00Z",
      endDate: null,
      timeZone: "UTC",
      firstDayOfWeek: 1,
    });
    const control = (name: string) =>
      createControl(deps, actor, catalog.id, {
        name,
        description: "",
        period: "DAILY",
        startDate: null,
        endDate: null,
        mashupId: "test-pass",
        params: {},
        threshold: 100,
        staleGraceMinutes: null,
      });
    // Only computation detail is measured: these computations back no point, so the runs category would delete them.
    await pool.query("update retention_settings set keep_days = null where category <> 'computation_detail'");
    const rows = COMPUTATIONS * EVIDENCES;
    console.log(
      `STATUS retention benchmark: ${COMPUTATIONS} computations × ${EVIDENCES} evidences = ${rows} evidences per data set, two years old; Postgres ${new URL(POSTGRES_URL).host}`,
    );

    await seed(pool, (await control("Baseline")).id);
    const cutoff = new Date(Date.now() - 400 * DAY);
    const baselineStarted = performance.now();
    const baseline = await longestTransactionDuring(databaseUrl, () =>
      pool.query(
        `with batch as (select id from computations where completed_at < $1 and detail_pruned_at is null),
         removed as (delete from evidences e using batch where e.computation_id = batch.id returning 1),
         marked as (update computations c set detail_pruned_at = now(), flow_value = null from batch where c.id = batch.id returning 1)
         select (select count(*) from removed) as evidences, (select count(*) from marked) as computations`,
        [cutoff],
      ),
    );
    const baselineMs = performance.now() - baselineStarted;
    console.log(
      `baseline (one statement): ${(rows / (baselineMs / 1000)).toFixed(0)} evidences/s, ${baselineMs.toFixed(0)} ms, longest transaction ${baseline.longestMs.toFixed(0)} ms`,
    );

    await seed(pool, (await control("Batched")).id);
    const batchedStarted = performance.now();
    const batched = await longestTransactionDuring(databaseUrl, () => pruneExpiredRecords(deps, { force: true }));
    const batchedMs = performance.now() - batchedStarted;
    const outcome = batched.result;
    const pruned = outcome.status === "pruned" ? (outcome.pruned.evidences ?? 0) : 0;
    if (pruned !== rows) throw new Error(`expected ${rows} evidences pruned, got ${JSON.stringify(outcome)}`);
    console.log(
      `daily job (batches):      ${(rows / (batchedMs / 1000)).toFixed(0)} evidences/s, ${batchedMs.toFixed(0)} ms, longest transaction ${batched.longestMs.toFixed(0)} ms`,
    );
    console.log(`ratio throughput batched/baseline:         ${(baselineMs / batchedMs).toFixed(2)}`);
    console.log(
      `ratio longest transaction batched/baseline: ${(batched.longestMs / Math.max(1, baseline.longestMs)).toFixed(3)}`,
    );
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

await main();
process.exit(0);
