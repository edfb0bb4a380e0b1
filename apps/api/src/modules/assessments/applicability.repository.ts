import type { SoaRow } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/**
 * A framework's requirements in order with their applicability decision (undecided: applicable, no justification) and
 * their mapped controls, each with the result of its newest point over every scope (a failing scope wins) and when
 * it was last evaluated.
 */
export async function listSoaRows(db: Queryable, frameworkId: string): Promise<SoaRow[]> {
  const result = await db.query<SoaRow>(
    `select r.id as "requirementId", r.requirement_key as "requirementKey", r.title, r.group_key as "groupKey",
            coalesce(a.is_applicable, true) as "isApplicable", a.justification, a.updated_at as "decidedAt",
            coalesce((select jsonb_agg(jsonb_build_object(
                        'controlId', c.id, 'controlName', c.name, 'catalogName', cat.name, 'relationship', m.relationship,
                        'state', coalesce(latest.state, 'not-evaluated'), 'lastEvaluatedAt', latest.at)
                        order by cat.name, c.name)
                        from control_requirements m
                        join controls c on c.id = m.control_id
                        join catalogs cat on cat.id = c.catalog_id
                        left join lateral (
                          select case when bool_or(n.result = 'fail') then 'fail'
                                      when bool_or(n.result = 'pass') then 'pass' else 'not_applicable' end as state,
                                 max(n.created_at) as at
                            from (select distinct on (p.scope_key) p.result, p.created_at from points p
                                   where p.control_id = c.id order by p.scope_key, p.window_start desc) n
                        ) latest on true
                       where m.requirement_id = r.id), '[]'::jsonb) as controls
       from requirements r
       left join requirement_applicability a on a.requirement_id = r.id
      where r.framework_id = $1
      order by r.position`,
    [frameworkId],
  );
  return result.rows.map((row) => ({
    ...row,
    decidedAt: row.decidedAt ? new Date(row.decidedAt).toISOString() : null,
    controls: row.controls.map((control) => ({
      ...control,
      lastEvaluatedAt: control.lastEvaluatedAt ? new Date(control.lastEvaluatedAt).toISOString() : null,
    })),
  }));
}

/** The current decision of a requirement, if any. */
export async function findApplicability(
  db: Queryable,
  requirementId: string,
): Promise<{ isApplicable: boolean; justification: string } | undefined> {
  const result = await db.query<{ isApplicable: boolean; justification: string }>(
    `select is_applicable as "isApplicable", justification from requirement_applicability where requirement_id = $1`,
    [requirementId],
  );
  return result.rows[0];
}

/** Records a requirement's decision (replacing the previous one: the audit log keeps that). */
export async function upsertApplicability(
  db: Queryable,
  input: { requirementId: string; isApplicable: boolean; justification: string; updatedBy: string },
): Promise<void> {
  await db.query(
    `insert into requirement_applicability (requirement_id, is_applicable, justification, updated_by)
     values ($1, $2, $3, $4)
     on conflict (requirement_id) do update set is_applicable = excluded.is_applicable,
       justification = excluded.justification, updated_by = excluded.updated_by, updated_at = now()`,
    [input.requirementId, input.isApplicable, input.justification, input.updatedBy],
  );
}
