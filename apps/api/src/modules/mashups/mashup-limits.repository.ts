import type { MashupLimits } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

const COLUMNS = `mashup_id as "mashupId", max_concurrency as "maxConcurrency", rate_per_second::float8 as "ratePerSecond",
  updated_at as "updatedAt"`;

/** The limits row of a mashup, if any. */
export async function findMashupLimits(db: Queryable, mashupId: string): Promise<MashupLimits | undefined> {
  const result = await db.query<MashupLimits>(`select ${COLUMNS} from mashup_limits where mashup_id = $1`, [mashupId]);
  return result.rows[0];
}

/** Sets (or, with both null, clears) a mashup's limits; answers the stored row, or none once cleared. */
export async function upsertMashupLimits(
  db: Queryable,
  input: { mashupId: string; maxConcurrency: number | null; ratePerSecond: number | null; updatedBy: string | null },
): Promise<MashupLimits | undefined> {
  if (input.maxConcurrency === null && input.ratePerSecond === null) {
    await db.query("delete from mashup_limits where mashup_id = $1", [input.mashupId]);
    return undefined;
  }
  const result = await db.query<MashupLimits>(
    `insert into mashup_limits (mashup_id, max_concurrency, rate_per_second, updated_by) values ($1, $2, $3, $4)
     on conflict (mashup_id) do update set max_concurrency = excluded.max_concurrency,
       rate_per_second = excluded.rate_per_second, updated_by = excluded.updated_by, updated_at = now()
     returning ${COLUMNS}`,
    [input.mashupId, input.maxConcurrency, input.ratePerSecond, input.updatedBy],
  );
  return result.rows[0];
}
