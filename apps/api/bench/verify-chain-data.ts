/**
 * The chain verification benchmark's data, and the benchmark itself when run directly:
 *
 *   cd apps/api && npx tsx bench/verify-chain-data.ts [--length 1000000] [--runs 3] [--keep] [--database NAME]
 *
 * makes a scratch database (or reuses a kept one with `--database`), loads one control's chain of `--length` points
 * and walks it from its first point `--runs` times (no checkpoint), printing for each walk its wall time, the peak RSS
 * of this process above where it started, and the CPU time this process and the database's backends spent.
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the walks.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import type { AppDeps } from "../src/deps.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { allowPreparedStatements } from "../src/db/prepared.ts";
import { evidenceDigest } from "../src/domain/evaluation.ts";
import { createLogger } from "../src/logger.ts";
import { pointHash, verifyPointChain } from "../src/modules/points/index.ts";
import { countStatements, createCpuMeter, startProfiler } from "./cpu-meter.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";

const HOUR = 3_600_000;
const SCOPES = 5;
const INSERT_BATCH = 10_000;
/** One point in this many names a computation with evidences; every other such computation had its detail pruned. */
const COMPUTATION_EVERY = 10;
const EVIDENCES_PER_COMPUTATION = 3;

/**
 * One control with one long hash chain (`length` points: hourly windows × 5 scopes ending at `end`), for the chain
 * verification benchmark: every point hashed by the points module's one hash function and written in chain order, one
 * in ten naming a computation whose evidences (3) the point's digest covers, half of those pruned (digest kept, detail
 * gone) as retention leaves old computations. Answers the control's id.
 */
export async function loadVerifyChain(pool: pg.Pool, catalogId: string, length: number, end: number): Promise<string> {
  const {
    rows: [control],
  } = await pool.query<{ id: string }>(
    `insert into controls (catalog_id, name, period, mashup_id, threshold)
     values ($1, 'Long chain ' || gen_random_uuid(), 'HOURLY', 'test-pass', 80) returning id`,
    [catalogId],
  );
  const controlId = control!.id;
  await pool.query(
    `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
     select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'benchmark' from controls where id = $1`,
    [controlId],
  );
  // The scope sets its points are for, as the engine would have evaluated them.
  await pool.query(
    `insert into scope_sets (control_id, values_key)
     select $1, '{"shard":"s' || s || '"}' from generate_series(1, $2) s`,
    [controlId, SCOPES],
  );
  await pool.query("update controls set status = 'finalized', version = 1 where id = $1", [controlId]);
  const {
    rows: [version],
  } = await pool.query<{ digest: string }>("select digest from control_versions where control_id = $1", [controlId]);
  const hours = Math.ceil(length / SCOPES);
  const createdAt = new Date(end).toISOString();
  let prevHash: string | null = null;
  let points: Record<string, unknown>[] = [];
  let computations: Record<string, unknown>[] = [];
  let evidences: Record<string, unknown>[] = [];
  const flush = async () => {
    await insertRows(pool, "computations", computations);
    await insertRows(pool, "evidences", evidences);
    await insertRows(pool, "points", points);
    points = [];
    computations = [];
    evidences = [];
  };
  for (let index = 0; index < length; index += 1) {
    const hour = Math.floor(index / SCOPES);
    const shard = (index % SCOPES) + 1;
    const windowStart = new Date(end - (hours - hour) * HOUR).toISOString();
    const windowEnd = new Date(end - (hours - hour - 1) * HOUR).toISOString();
    const fails = (hour + shard) % 7 === 0;
    const scope = { shard: `s${shard}` };
    const scopeKey = JSON.stringify(scope);
    let computationId: string | null = null;
    let digest: string | null = null;
    if (index % COMPUTATION_EVERY === 0) {
      computationId = crypto.randomUUID();
      const stored = Array.from({ length: EVIDENCES_PER_COMPUTATION }, (_, position) => ({
        position,
        key: `check-${position}`,
        value: { replicas: position + 1, labels: { team: "payments", tier: position } },
        result: fails && position === 0 ? ("fail" as const) : ("pass" as const),
        from: windowStart,
        to: windowEnd,
      }));
      digest = evidenceDigest(stored);
      const isPruned = (index / COMPUTATION_EVERY) % 2 === 1;
      computations.push({
        id: computationId,
        controlId,
        scope: scopeKey,
        scopeKey,
        windowStart,
        windowEnd,
        evidenceDigest: digest,
        detailPrunedAt: isPruned ? createdAt : null,
      });
      if (!isPruned) {
        for (const evidence of stored)
          evidences.push({ ...evidence, computationId, value: JSON.stringify(evidence.value) });
      }
    }
    const point = {
      id: crypto.randomUUID(),
      controlId,
      catalogId,
      source: "engine",
      scope,
      scopeKey,
      windowStart,
      windowEnd,
      value: fails ? 50 : 100,
      threshold: 80,
      result: fails ? "fail" : "pass",
      computationId,
      evidenceDigest: digest,
      controlVersion: 1,
      versionDigest: version!.digest,
      hashScheme: 2 as const,
      createdAt,
    };
    const hash = pointHash(prevHash, point);
    const { versionDigest: _covered, ...stored } = point;
    points.push({ ...stored, scope: scopeKey, prevHash, hash });
    prevHash = hash;
    if (points.length >= INSERT_BATCH) await flush();
  }
  await flush();
  await pool.query("update controls set chain_head = $2, chain_length = $3 where id = $1", [
    controlId,
    prevHash,
    length,
  ]);
  // The points were written directly, around the append that keeps point_latest, point_daily and (through their
  // triggers) control_latest: they are rebuilt from the points, as after the scale benchmark's own load, so that a
  // database kept to EXPLAIN on counts this chain in every read path (derived-tables.ts checks it).
  await pool.query("select rebuild_point_reads()");
  await pool.query("vacuum analyze points, computations, evidences, point_latest, point_daily, control_latest");
  return controlId;
}

/** Bulk inserts of the three tables, one unnest per batch (a computation needs a run of its own: one per run). */
async function insertRows(pool: pg.Pool, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (name: string) => rows.map((row) => row[name]);
  if (table === "computations") {
    await pool.query(
      `with input as (
         select * from unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                              $7::text[], $8::timestamptz[]) as x(id, control_id, scope, scope_key, window_start,
                              window_end, evidence_digest, detail_pruned_at)
       ),
       run as (
         insert into runs (id, control_id, scope, scope_key, window_start, window_end, is_provisional, trigger, status,
                           max_attempts)
         select id, control_id, scope, scope_key, window_start, window_end, false, 'schedule', 'succeeded', 1 from input
       )
       insert into computations (id, run_id, control_id, scope, scope_key, window_start, window_end, is_provisional,
                                 status, result, evidence_digest, evidence_count, control_version, detail_pruned_at)
       select id, id, control_id, scope, scope_key, window_start, window_end, false, 'ready', 'pass', evidence_digest,
              ${EVIDENCES_PER_COMPUTATION}, 1, detail_pruned_at from input`,
      ["id", "controlId", "scope", "scopeKey", "windowStart", "windowEnd", "evidenceDigest", "detailPrunedAt"].map(
        column,
      ),
    );
  } else if (table === "evidences") {
    await pool.query(
      `insert into evidences (computation_id, position, key, value, result, period_from, period_to)
       select * from unnest($1::uuid[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[], $7::timestamptz[])`,
      ["computationId", "position", "key", "value", "result", "from", "to"].map(column),
    );
  } else {
    await pool.query(
      `insert into points (id, control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold,
                           result, computation_id, evidence_digest, control_version, hash_scheme, created_at, prev_hash, hash)
       select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[],
                            $8::timestamptz[], $9::numeric[], $10::numeric[], $11::text[], $12::uuid[], $13::text[],
                            $14::int[], $15::smallint[], $16::timestamptz[], $17::text[], $18::text[])`,
      [
        "id",
        "controlId",
        "catalogId",
        "source",
        "scope",
        "scopeKey",
        "windowStart",
        "windowEnd",
        "value",
        "threshold",
        "result",
        "computationId",
        "evidenceDigest",
        "controlVersion",
        "hashScheme",
        "createdAt",
        "prevHash",
        "hash",
      ].map(column),
    );
  }
}

/** The benchmark: load (or reuse) a chain, walk it from its first point `runs` times, print what each walk cost. */
async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      length: { type: "string", default: "1000000" },
      runs: { type: "string", default: "3" },
      keep: { type: "boolean", default: false },
      database: { type: "string" },
    },
  });
  const length = Number(args.length);
  const scratch = args.database ? undefined : await createScratchDatabase("status_bench_verify");
  const name = scratch?.name ?? args.database!;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pool.on("error", () => undefined);
  // As the API's pool (database.ts): its hot fixed statements, the walk's batch among them, are prepared.
  allowPreparedStatements(pool);
  try {
    let controlId: string;
    if (scratch) {
      await runMigrations(pool, createLogger("warn"));
      const {
        rows: [catalog],
      } = await pool.query<{ id: string }>(
        `insert into catalogs (name, start_date, status, finalized_at, time_zone)
         values ('Chain benchmark', '2000-01-01', 'finalized', now(), 'UTC') returning id`,
      );
      const loading = performance.now();
      controlId = await loadVerifyChain(pool, catalog!.id, length, Math.floor(Date.now() / HOUR) * HOUR);
      console.log(
        `loaded ${length.toLocaleString("en")} points in ${((performance.now() - loading) / 1000).toFixed(0)} s`,
      );
    } else {
      const { rows } = await pool.query<{ id: string }>(
        "select id from controls where name like 'Long chain %' order by chain_length desc limit 1",
      );
      controlId = rows[0]!.id;
    }
    const deps = {
      db: pool,
      now: () => new Date(),
      metrics: { chainVerifications: { inc: () => undefined } },
    } as unknown as AppDeps;
    countStatements();
    const meter = createCpuMeter(pool, name, () => undefined);
    const profiler = process.env.BENCH_CPU_PROF
      ? await startProfiler(`${process.env.BENCH_CPU_PROF}/verify-chain-${Date.now()}.cpuprofile`)
      : undefined;
    for (let run = 0; run < Number(args.runs); run += 1) {
      await pool.query("delete from point_chain_checkpoints");
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const before = await meter.sample();
      const started = performance.now();
      const verification = await verifyPointChain(deps, controlId);
      const wall = performance.now() - started;
      const after = await meter.sample();
      clearInterval(sampler);
      if (!verification.isIntact) throw new Error(`chain broken: ${verification.problem}`);
      console.log(
        `walk ${run + 1}: ${verification.pointCount.toLocaleString("en")} points in ${(wall / 1000).toFixed(2)} s; ` +
          `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (+${((peakRss - rssBefore) / 2 ** 20).toFixed(0)}); CPU ` +
          `${((after.selfMs - before.selfMs) / 1000).toFixed(2)} s node, ${((after.postgresMs - before.postgresMs) / 1000).toFixed(2)} s Postgres; ` +
          `${after.statements - before.statements} statements`,
      );
    }
    await profiler?.stop();
  } finally {
    await pool.end();
    if (scratch && args.keep) {
      await scratch.keep();
      console.log(`kept the database ${scratch.name} (drop database ${scratch.name} when done)`);
    } else await scratch?.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
