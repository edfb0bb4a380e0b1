import type { ControlRequirementMapping, MappingRelationship } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

const MAPPING_COLUMNS = `m.id, m.control_id as "controlId", m.requirement_id as "requirementId",
  r.framework_id as "frameworkId", f.name as "frameworkName", f.version as "frameworkVersion",
  r.requirement_key as "requirementKey", r.label as "requirementLabel", r.title as "requirementTitle",
  m.relationship, m.rationale, m.created_by as "createdBy", m.created_at as "createdAt"`;
const MAPPING_FROM = `control_requirements m join requirements r on r.id = m.requirement_id
  join frameworks f on f.id = r.framework_id`;

export interface NewMapping {
  controlId: string;
  requirementId: string;
  relationship: MappingRelationship;
  rationale: string | null;
  createdBy: string;
}

/** Inserts a mapping, or replaces the relationship and rationale of the same pair; `isNew` says which. */
export async function upsertMapping(db: Queryable, mapping: NewMapping): Promise<{ id: string; isNew: boolean }> {
  const result = await db.query<{ id: string; isNew: boolean }>(
    `insert into control_requirements (control_id, requirement_id, relationship, rationale, created_by)
     values ($1, $2, $3, $4, $5)
     on conflict (control_id, requirement_id) do update
       set relationship = excluded.relationship, rationale = excluded.rationale, updated_at = now()
     returning id, (xmax = 0) as "isNew"`,
    [mapping.controlId, mapping.requirementId, mapping.relationship, mapping.rationale, mapping.createdBy],
  );
  return result.rows[0]!;
}

export async function findMapping(
  db: Queryable,
  controlId: string,
  requirementId: string,
): Promise<ControlRequirementMapping | undefined> {
  const result = await db.query<ControlRequirementMapping>(
    `select ${MAPPING_COLUMNS} from ${MAPPING_FROM} where m.control_id = $1 and m.requirement_id = $2`,
    [controlId, requirementId],
  );
  return result.rows[0];
}

export async function listMappingsOfControl(db: Queryable, controlId: string): Promise<ControlRequirementMapping[]> {
  const result = await db.query<ControlRequirementMapping>(
    `select ${MAPPING_COLUMNS} from ${MAPPING_FROM} where m.control_id = $1
     order by lower(f.name), f.version, r.position`,
    [controlId],
  );
  return result.rows;
}

/** Every mapping of the controls of one catalog, in framework and requirement order. */
export async function listMappingsOfCatalog(db: Queryable, catalogId: string): Promise<ControlRequirementMapping[]> {
  const result = await db.query<ControlRequirementMapping>(
    `select ${MAPPING_COLUMNS} from ${MAPPING_FROM} join controls c on c.id = m.control_id
     where c.catalog_id = $1 order by lower(f.name), f.version, r.position`,
    [catalogId],
  );
  return result.rows;
}

export async function deleteMappingRow(db: Queryable, controlId: string, requirementId: string): Promise<boolean> {
  const result = await db.query("delete from control_requirements where control_id = $1 and requirement_id = $2", [
    controlId,
    requirementId,
  ]);
  return (result.rowCount ?? 0) > 0;
}

export interface FrameworkMappingRow extends ControlRequirementMapping {
  catalogId: string;
  controlName: string;
}

/** Every mapping into a framework, with the control's catalog and name (optionally of one catalog only). */
export async function listMappingsOfFramework(
  db: Queryable,
  frameworkId: string,
  catalogId: string | null,
): Promise<FrameworkMappingRow[]> {
  const result = await db.query<FrameworkMappingRow>(
    `select ${MAPPING_COLUMNS}, c.catalog_id as "catalogId", c.name as "controlName"
     from ${MAPPING_FROM} join controls c on c.id = m.control_id
     where r.framework_id = $1 and ($2::uuid is null or c.catalog_id = $2)
     order by c.catalog_id, lower(c.name), c.id, r.position`,
    [frameworkId, catalogId],
  );
  return result.rows;
}
