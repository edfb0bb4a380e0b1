import type pg from "pg";

/**
 * Finalized catalogs (in UTC) of finalized controls, each with its version 1 and `scopes` scope sets
 * (`{"shard":"<prefix><n>"}`), written straight in SQL for the benches that time read paths: the chain plays no part
 * in what they read.
 */
export async function seedFinalizedControls(
  pool: pg.Pool,
  input: {
    catalogs: number;
    controlsPerCatalog: number;
    scopes: number;
    period: "HOURLY" | "DAILY";
    /** The catalogs' start date. */
    startDate: string;
    /** Before each scope set's number in its shard value. */
    shardPrefix: string;
  },
): Promise<void> {
  await pool.query(
    `insert into catalogs (name, start_date, status, finalized_at, time_zone)
     select 'Catalog ' || c, $2::timestamptz, 'finalized', now(), 'UTC' from generate_series(1, $1) c`,
    [input.catalogs, input.startDate],
  );
  await pool.query(
    `insert into controls (catalog_id, name, period, mashup_id, threshold)
     select catalogs.id, 'Control ' || i, $2, 'test-pass', 80 from catalogs cross join generate_series(1, $1) i`,
    [input.controlsPerCatalog, input.period],
  );
  await pool.query(
    `insert into scope_sets (control_id, values_key)
     select controls.id, '{"shard":"' || $2 || s || '"}' from controls cross join generate_series(1, $1) s`,
    [input.scopes, input.shardPrefix],
  );
  await pool.query(
    `insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, reason)
     select id, 1, period, threshold, mashup_id, params, '[]'::jsonb, 'benchmark' from controls`,
  );
  await pool.query("update controls set status = 'finalized', version = 1");
}
