import type pg from "pg";

/** How many rows of each derived table differ from what its sources give (all zero when the tables are in step). */
export interface DerivedTableDrift {
  pointLatest: number;
  pointDaily: number;
  controlWindows: number;
  controlLatest: number;
  catalogControlCounts: number;
  chainHeads: number;
}

/**
 * The benchmarks write points (and controls) in bulk, around the statement and the triggers that keep the derived
 * tables in normal use, then rebuild those tables. This compares what they hold with what the triggers and the append
 * would have left: point_latest, point_daily and control_windows as rebuild_point_reads() computes them from the
 * points (the definition the append and the points trigger are tested against), control_latest as
 * refresh_control_latest() reads it from reporting.control_states for every control it has a row for or ought to
 * (finalized, or with points), each catalog's control count as counted, and each control's chain head and length as
 * its points give them. The rebuild runs in a transaction that is rolled
 * back, so the tables are left as they were.
 */
export async function derivedTableDrift(pool: pg.Pool): Promise<DerivedTableDrift> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("create temp table stored_point_latest on commit drop as select * from point_latest");
    await client.query("create temp table stored_point_daily on commit drop as select * from point_daily");
    await client.query("create temp table stored_control_windows on commit drop as select * from control_windows");
    await client.query("create temp table stored_control_latest on commit drop as select * from control_latest");
    await client.query("select rebuild_point_reads()");
    await client.query(
      `select refresh_control_latest(array(
         select control_id from stored_control_latest
          union
         select id from controls c where status = 'finalized' or exists (select 1 from point_latest p where p.control_id = c.id)))`,
    );
    const differing = (stored: string, table: string) =>
      `(select count(*)::int from ((select * from ${stored} except all select * from ${table})
                                   union all
                                   (select * from ${table} except all select * from ${stored})) d)`;
    const { rows } = await client.query<DerivedTableDrift>(
      `select ${differing("stored_point_latest", "point_latest")} as "pointLatest",
              ${differing("stored_point_daily", "point_daily")} as "pointDaily",
              ${differing("stored_control_windows", "control_windows")} as "controlWindows",
              ${differing("stored_control_latest", "control_latest")} as "controlLatest",
              (select count(*)::int from (select catalog_id, sum(control_count) as n from catalog_control_counts group by 1) k
                 full join (select catalog_id, count(*) as n from controls group by 1) c using (catalog_id)
                where coalesce(k.n, 0) <> coalesce(c.n, 0)) as "catalogControlCounts",
              (select count(*)::int from controls c
                 left join lateral (select count(*) as n from points p where p.control_id = c.id) counted on true
                 left join lateral (select p.hash from points p where p.control_id = c.id order by p.seq desc limit 1) head on true
                where c.chain_length <> counted.n or c.chain_head is distinct from head.hash) as "chainHeads"`,
    );
    return rows[0]!;
  } finally {
    await client.query("rollback");
    client.release();
  }
}
