/**
 * The scale benchmark's data (`npm run bench:scale`): 100 hourly controls (4 catalogs × 25) × 5 scope sets, each with
 * a valid hash chain of hourly points ending at `end`, and the read tables rebuilt from them.
 */
import type pg from "pg";
import { pointHash } from "../src/modules/points/index.ts";
import { seedFinalizedControls } from "./finalized-controls.ts";

const CATALOGS = 4;
const CONTROLS_PER_CATALOG = 25;
const SCOPES = 5;
const HOUR = 3_600_000;
const INSERT_BATCH = 5_000;

export interface Control {
  id: string;
  catalogId: string;
  digest: string;
}

/** Catalogs, controls (finalized, hourly, each with version 1) and scope sets, in SQL. */
async function seedControls(pool: pg.Pool, hours: number, end: number): Promise<Control[]> {
  await seedFinalizedControls(pool, {
    catalogs: CATALOGS,
    controlsPerCatalog: CONTROLS_PER_CATALOG,
    scopes: SCOPES,
    period: "HOURLY",
    startDate: new Date(end - (hours + 24) * HOUR).toISOString(),
    shardPrefix: "s",
  });
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
export async function seed(pool: pg.Pool, total: number, end: number): Promise<Control[]> {
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
