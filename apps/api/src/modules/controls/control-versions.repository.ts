import type { Period, ScopeSetSnapshot } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { SealedVersionFields } from "./control-version-digest.ts";

/** A stored control version: what decided the control's results from `effectiveFrom` on, and who recorded it why. */
export interface ControlVersionRow {
  controlId: string;
  version: number;
  period: Period;
  threshold: number;
  /** null for a push control. */
  mashupId: string | null;
  params: Record<string, unknown>;
  scopeSets: ScopeSetSnapshot[];
  effectiveFrom: string | null;
  reason: string;
  createdById: string | null;
  createdByName: string | null;
  createdAt: string;
  digest: string;
}

const VERSION_COLUMNS = `v.control_id as "controlId", v.version, v.period, v.threshold, v.mashup_id as "mashupId", v.params,
  v.scope_sets as "scopeSets", v.effective_from as "effectiveFrom", v.reason, v.created_by as "createdById",
  v.created_by_name as "createdByName", v.created_at as "createdAt", v.digest`;

/** The scope sets of control `c` as a version records them: [{id, values}] in the order of their canonical keys. */
const SCOPE_SET_SNAPSHOT = `coalesce((select jsonb_agg(jsonb_build_object('id', ss.id, 'values',
      coalesce((select jsonb_object_agg(s.name, sv.value) from scope_set_values sv join scopes s on s.id = sv.scope_id
                 where sv.scope_set_id = ss.id), '{}'::jsonb)) order by ss.values_key, ss.id)
    from scope_sets ss where ss.control_id = c.id), '[]'::jsonb)`;

/**
 * Records version 1 of the given draft controls (all drafts of `catalogId`, or those of `controlIds`) from their rows
 * and finalizes them, in one statement. Answers how many were finalized.
 */
export async function finalizeWithFirstVersion(
  db: Queryable,
  input: { catalogId: string | null; controlIds: string[]; reason: string; actor: { id: string; name: string } },
): Promise<number> {
  const result = await db.query(
    `with first_versions as (
       insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, effective_from,
                                     reason, created_by, created_by_name)
       select c.id, 1, c.period, c.threshold, c.mashup_id, c.params, ${SCOPE_SET_SNAPSHOT}, null, $3, $4, $5
         from controls c
        where c.status = 'draft' and (c.catalog_id = $1 or c.id = any($2::uuid[]))
       returning control_id
     )
     update controls c set status = 'finalized', version = 1, updated_at = now()
       from first_versions f where c.id = f.control_id`,
    [input.catalogId, input.controlIds, input.reason, input.actor.id, input.actor.name],
  );
  return result.rowCount ?? 0;
}

/** Which result-deciding fields of a finalized control's row differ from its current version; none for a draft. */
export async function findHeadChanges(
  db: Queryable,
  controlId: string,
): Promise<
  | { version: number; changed: Record<"period" | "threshold" | "mashupId" | "params" | "scopeSets", boolean> }
  | undefined
> {
  const result = await db.query<{
    version: number;
    period: boolean;
    threshold: boolean;
    mashupId: boolean;
    params: boolean;
    scopeSets: boolean;
  }>(
    `select v.version, c.period is distinct from v.period as period, c.threshold is distinct from v.threshold as threshold,
            c.mashup_id is distinct from v.mashup_id as "mashupId", c.params is distinct from v.params as params,
            ${SCOPE_SET_SNAPSHOT} is distinct from v.scope_sets as "scopeSets"
       from controls c join control_versions v on v.control_id = c.id and v.version = c.version
      where c.id = $1`,
    [controlId],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  const { version, ...changed } = row;
  return { version, changed };
}

/** Records the next version from the control's row as it stands (after the change) and makes it the current one. */
export async function insertVersionFromHead(
  db: Queryable,
  input: {
    controlId: string;
    version: number;
    effectiveFrom: string | null;
    reason: string;
    actor: { id: string; name: string };
  },
): Promise<ControlVersionRow> {
  const result = await db.query<ControlVersionRow>(
    `with inserted as (
       insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, effective_from,
                                     reason, created_by, created_by_name)
       select c.id, $2, c.period, c.threshold, c.mashup_id, c.params, ${SCOPE_SET_SNAPSHOT}, $3, $4, $5, $6
         from controls c where c.id = $1
       returning *
     ), head as (
       update controls set version = $2 where id = $1
     )
     select ${VERSION_COLUMNS} from inserted v`,
    [input.controlId, input.version, input.effectiveFrom, input.reason, input.actor.id, input.actor.name],
  );
  return result.rows[0]!;
}

/** Every version of the given controls, in version order. */
export async function listVersionsOfControls(db: Queryable, controlIds: string[]): Promise<ControlVersionRow[]> {
  if (controlIds.length === 0) return [];
  const result = await db.query<ControlVersionRow>(
    `select ${VERSION_COLUMNS} from control_versions v where v.control_id = any($1::uuid[]) order by v.control_id, v.version`,
    [controlIds],
  );
  return result.rows;
}

/** How many points each version of a control has. */
export async function countPointsPerVersion(db: Queryable, controlId: string): Promise<Map<number, number>> {
  const result = await db.query<{ version: number; count: number }>(
    `select control_version as version, count(*)::int as count from points
      where control_id = $1 and control_version is not null group by control_version`,
    [controlId],
  );
  return new Map(result.rows.map((row) => [row.version, row.count]));
}

/**
 * The end of the newest window of the control that has a point (any source, any scope) or a run of a closed window
 * still queued or running: what a new version must not take back.
 */
export async function findEvaluatedThrough(db: Queryable, controlId: string): Promise<string | null> {
  const result = await db.query<{ through: string | null }>(
    `select greatest(
       (select max(window_end) from points where control_id = $1),
       (select max(window_end) from runs where control_id = $1 and status in ('queued', 'running') and not is_provisional)
     ) as through`,
    [controlId],
  );
  return result.rows[0]?.through ?? null;
}

/** The fields each version of a control was sealed with, in the text forms its digest covers; the head's version. */
export async function listSealedVersions(
  db: Queryable,
  controlId: string,
): Promise<{ versions: (SealedVersionFields & { digest: string })[]; headVersion: number | null }> {
  const [versions, head] = await Promise.all([
    db.query<SealedVersionFields & { digest: string }>(
      `select control_id as "controlId", version, period, threshold::text as "thresholdText", mashup_id as "mashupId",
              params::text as "paramsText", scope_sets::text as "scopeSetsText", effective_from as "effectiveFrom", reason,
              created_by as "createdById", created_by_name as "createdByName", created_at as "createdAt",
              prev_digest as "prevDigest", digest
         from control_versions where control_id = $1 order by version`,
      [controlId],
    ),
    db.query<{ version: number | null }>("select version from controls where id = $1", [controlId]),
  ]);
  return { versions: versions.rows, headVersion: head.rows[0]?.version ?? null };
}
