import type { Period } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

export interface CatalogControlRow {
  id: string;
  name: string;
  version: number | null;
  period: Period;
  threshold: number;
  startDate: string | null;
  endDate: string | null;
  params: Record<string, unknown>;
  scopeSets: Record<string, unknown>[];
}

/**
 * A catalog's controls with the values of each of their scope sets, in one query (what an agreement is built from).
 * Archived controls are left out: the registry stops evaluating them, while their points stay in STATUS.
 */
export async function listControlsWithScopeSets(db: Queryable, catalogId: string): Promise<CatalogControlRow[]> {
  const result = await db.query<CatalogControlRow>(
    `select c.id, c.name, c.version, c.period, c.threshold::float8 as threshold, c.start_date as "startDate",
            c.end_date as "endDate", c.params,
            coalesce((select jsonb_agg(sets.values order by sets.values_key)
                        from (select ss.values_key, coalesce(jsonb_object_agg(s.name, v.value) filter (where s.name is not null), '{}'::jsonb) as values
                                from scope_sets ss
                                left join scope_set_values v on v.scope_set_id = ss.id
                                left join scopes s on s.id = v.scope_id
                               where ss.control_id = c.id group by ss.id, ss.values_key) sets), '[]'::jsonb) as "scopeSets"
       from controls c where c.catalog_id = $1 and c.archived_at is null order by c.id`,
    [catalogId],
  );
  return result.rows;
}

/** Definitions of the named scopes. */
export async function listScopeDefinitions(
  db: Queryable,
  names: string[],
): Promise<{ name: string; description: string; type: string; defaultValue: unknown }[]> {
  if (names.length === 0) return [];
  const result = await db.query<{ name: string; description: string; type: string; defaultValue: unknown }>(
    `select name, description, type, default_value as "defaultValue" from scopes where name = any($1::text[])`,
    [names],
  );
  return result.rows;
}
