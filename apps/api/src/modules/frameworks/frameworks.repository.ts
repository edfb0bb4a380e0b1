import type { Framework, FrameworkGroup, FrameworkListQuery, Page, Requirement } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { likePattern, queryPage, WhereBuilder } from "../../db/pagination.ts";
import type { ParsedFramework, ParsedGroup, ParsedRequirement } from "./parsed-framework.ts";

const FRAMEWORK_COLUMNS = `frameworks.id, frameworks.name, frameworks.version, frameworks.description, frameworks.source,
  frameworks.oscal_version as "oscalVersion", frameworks.source_uuid as "sourceUuid",
  frameworks.resolved_from_id as "resolvedFromId",
  (select count(*) from requirements where requirements.framework_id = frameworks.id)::int as "requirementCount",
  (select count(*) from framework_groups where framework_groups.framework_id = frameworks.id)::int as "groupCount",
  frameworks.imported_by as "importedBy", frameworks.created_at as "createdAt", frameworks.updated_at as "updatedAt"`;

export async function findFramework(db: Queryable, id: string): Promise<Framework | undefined> {
  const result = await db.query<Framework>(`select ${FRAMEWORK_COLUMNS} from frameworks where id = $1`, [id]);
  return result.rows[0];
}

/** The framework stored under a name (case-insensitive) and version, locked when `forUpdate`. */
export async function findFrameworkIdByIdentity(
  db: Queryable,
  identity: { name: string; version: string },
  options: { forUpdate?: boolean } = {},
): Promise<string | undefined> {
  const lock = options.forUpdate ? "for update" : "";
  const result = await db.query<{ id: string }>(
    `select id from frameworks where lower(name) = lower($1) and version = $2 ${lock}`,
    [identity.name, identity.version],
  );
  return result.rows[0]?.id;
}

export async function findFrameworkMetadata(
  db: Queryable,
  id: string,
): Promise<{ metadata: Record<string, unknown> | null; sourceUuid: string | null } | undefined> {
  const result = await db.query<{ metadata: Record<string, unknown> | null; sourceUuid: string | null }>(
    `select metadata, source_uuid as "sourceUuid" from frameworks where id = $1`,
    [id],
  );
  return result.rows[0];
}

export async function listFrameworks(db: Queryable, query: FrameworkListQuery): Promise<Page<Framework>> {
  const where = new WhereBuilder().add(
    "(frameworks.name ilike $? or frameworks.description ilike $?)",
    query.q ? likePattern(query.q) : undefined,
  );
  return queryPage<Framework>(db, {
    select: FRAMEWORK_COLUMNS,
    from: "frameworks",
    where,
    orderBy: "order by lower(frameworks.name), frameworks.version, frameworks.id",
    page: query.page,
    pageSize: query.pageSize,
  });
}

type FrameworkFields = Omit<ParsedFramework, "groups" | "requirements" | "problems">;

export async function insertFramework(db: Queryable, fields: FrameworkFields, importedBy: string): Promise<string> {
  const result = await db.query<{ id: string }>(
    `insert into frameworks (name, version, description, source, oscal_version, source_uuid, metadata, resolved_from_id, imported_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      fields.name,
      fields.version,
      fields.description,
      fields.source,
      fields.oscalVersion,
      fields.sourceUuid,
      fields.metadata,
      fields.resolvedFromId,
      importedBy,
    ],
  );
  return result.rows[0]!.id;
}

/** A re-import refreshes what the document says about the framework; its identity (name, version) stays. */
export async function updateFrameworkRow(db: Queryable, id: string, fields: FrameworkFields): Promise<void> {
  await db.query(
    `update frameworks set description = $2, source = $3, oscal_version = $4, source_uuid = $5, metadata = $6,
       resolved_from_id = $7, updated_at = now()
     where id = $1`,
    [
      id,
      fields.description,
      fields.source,
      fields.oscalVersion,
      fields.sourceUuid,
      fields.metadata,
      fields.resolvedFromId,
    ],
  );
}

export async function listGroups(db: Queryable, frameworkId: string): Promise<FrameworkGroup[]> {
  const result = await db.query<FrameworkGroup>(
    `select g.group_key as id, g.title, g.parent_key as "parentId",
       (select count(*) from requirements r where r.framework_id = g.framework_id and r.group_key = g.group_key)::int
         as "requirementCount"
     from framework_groups g where g.framework_id = $1 order by g.position, g.group_key`,
    [frameworkId],
  );
  return result.rows;
}

export async function listParsedGroups(db: Queryable, frameworkId: string): Promise<ParsedGroup[]> {
  const result = await db.query<ParsedGroup>(
    `select group_key as key, title, parent_key as "parentKey", position, oscal
     from framework_groups where framework_id = $1 order by position, group_key`,
    [frameworkId],
  );
  return result.rows;
}

/** Inserts or updates groups by key (one statement); groups a re-import no longer names are kept. */
export async function upsertGroups(db: Queryable, frameworkId: string, groups: ParsedGroup[]): Promise<void> {
  if (groups.length === 0) return;
  await db.query(
    `insert into framework_groups (framework_id, group_key, title, parent_key, position, oscal)
     select $1, g.key, g.title, g."parentKey", g.position, g.oscal
     from jsonb_to_recordset($2::jsonb) as g(key text, title text, "parentKey" text, position int, oscal jsonb)
     on conflict (framework_id, group_key) do update
       set title = excluded.title, parent_key = excluded.parent_key, position = excluded.position, oscal = excluded.oscal`,
    [frameworkId, JSON.stringify(groups)],
  );
}

const REQUIREMENT_FIELDS = `requirement_key as key, label, title, statement, guidance, group_key as "groupId",
  parent_key as "parentKey", class_name as "className", position, depth, params`;

/** Every requirement of a framework in order, with its OSCAL source (for profile resolution and export). */
export async function listParsedRequirements(db: Queryable, frameworkId: string): Promise<ParsedRequirement[]> {
  const result = await db.query<ParsedRequirement>(
    `select ${REQUIREMENT_FIELDS}, oscal from requirements where framework_id = $1 order by position, requirement_key`,
    [frameworkId],
  );
  return result.rows;
}

/** Every requirement of a framework in order, as the API shows them. */
export async function listRequirementsOfFramework(db: Queryable, frameworkId: string): Promise<Requirement[]> {
  const result = await db.query<Requirement>(
    `select r.id, r.framework_id as "frameworkId", ${prefixed("r")}, g.title as "groupTitle"
     from requirements r
     left join framework_groups g on g.framework_id = r.framework_id and g.group_key = r.group_key
     where r.framework_id = $1 order by r.position, r.requirement_key`,
    [frameworkId],
  );
  return result.rows;
}

function prefixed(alias: string): string {
  return `${alias}.requirement_key as key, ${alias}.label, ${alias}.title, ${alias}.statement, ${alias}.guidance,
    ${alias}.group_key as "groupId", ${alias}.parent_key as "parentKey", ${alias}.class_name as "className",
    ${alias}.position, ${alias}.depth, ${alias}.params`;
}

export async function findRequirementsByIds(db: Queryable, ids: readonly string[]): Promise<Requirement[]> {
  if (ids.length === 0) return [];
  const result = await db.query<Requirement>(
    `select r.id, r.framework_id as "frameworkId", ${prefixed("r")}, g.title as "groupTitle"
     from requirements r
     left join framework_groups g on g.framework_id = r.framework_id and g.group_key = r.group_key
     where r.id = any($1::uuid[]) order by r.framework_id, r.position`,
    [ids],
  );
  return result.rows;
}

export interface RequirementSearchRow extends Requirement {
  frameworkName: string;
  frameworkVersion: string;
}

/** Requirements of every framework (or one) whose key, label or title matches, for the mapping picker. */
export async function searchRequirements(
  db: Queryable,
  query: { q?: string; frameworkId?: string; page: number; pageSize: number },
): Promise<Page<RequirementSearchRow>> {
  const where = new WhereBuilder()
    .add("r.framework_id = $?", query.frameworkId)
    .add(
      "(r.requirement_key ilike $? or r.label ilike $? or r.title ilike $? or r.statement ilike $?)",
      query.q ? likePattern(query.q) : undefined,
    );
  return queryPage<RequirementSearchRow>(db, {
    select: `r.id, r.framework_id as "frameworkId", ${prefixed("r")}, g.title as "groupTitle",
      f.name as "frameworkName", f.version as "frameworkVersion"`,
    from: `requirements r join frameworks f on f.id = r.framework_id
      left join framework_groups g on g.framework_id = r.framework_id and g.group_key = r.group_key`,
    where,
    orderBy: "order by lower(f.name), f.version, r.position, r.id",
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** The batch size of requirement upserts: one statement per batch keeps a 10,000-row import to a few round trips. */
const UPSERT_BATCH = 1000;

/**
 * Inserts or updates requirements by key. A row whose content is the same is left untouched (its `updated_at` too),
 * so re-importing the same document changes nothing. Answers how many were created and updated.
 */
export async function upsertRequirements(
  db: Queryable,
  frameworkId: string,
  requirements: ParsedRequirement[],
  options: { batchSize?: number; onBatch?: (processed: number) => Promise<void> } = {},
): Promise<{ created: number; updated: number }> {
  const batchSize = options.batchSize ?? UPSERT_BATCH;
  let created = 0;
  let updated = 0;
  for (let start = 0; start < requirements.length; start += batchSize) {
    const batch = requirements.slice(start, start + batchSize);
    const result = await db.query<{ isNew: boolean }>(UPSERT_SQL, [frameworkId, JSON.stringify(batch)]);
    for (const row of result.rows) if (row.isNew) created += 1;
    updated += result.rows.filter((row) => !row.isNew).length;
    await options.onBatch?.(start + batch.length);
  }
  return { created, updated };
}

const UPSERT_SQL = `insert into requirements
    (framework_id, requirement_key, label, title, statement, guidance, group_key, parent_key, class_name, position, depth, params, oscal)
  select $1, r.key, r.label, r.title, r.statement, r.guidance, r."groupId", r."parentKey", r."className", r.position,
    r.depth, r.params, r.oscal
  from jsonb_to_recordset($2::jsonb) as r(key text, label text, title text, statement text, guidance text,
    "groupId" text, "parentKey" text, "className" text, position int, depth int, params jsonb, oscal jsonb)
  on conflict (framework_id, requirement_key) do update
    set label = excluded.label, title = excluded.title, statement = excluded.statement, guidance = excluded.guidance,
      group_key = excluded.group_key, parent_key = excluded.parent_key, class_name = excluded.class_name,
      position = excluded.position, depth = excluded.depth, params = excluded.params, oscal = excluded.oscal,
      updated_at = now()
    where (requirements.label, requirements.title, requirements.statement, requirements.guidance,
        requirements.group_key, requirements.parent_key, requirements.class_name, requirements.position,
        requirements.depth, requirements.params, requirements.oscal)
      is distinct from (excluded.label, excluded.title, excluded.statement, excluded.guidance, excluded.group_key,
        excluded.parent_key, excluded.class_name, excluded.position, excluded.depth, excluded.params, excluded.oscal)
  returning (xmax = 0) as "isNew"`;

/** The keys a framework holds now, for a dry run's created/updated counts. */
export async function listRequirementDigests(
  db: Queryable,
  frameworkId: string,
): Promise<Map<string, ParsedRequirement>> {
  const rows = await listParsedRequirements(db, frameworkId);
  return new Map(rows.map((row) => [row.key, row]));
}

/** Requirement ids of a framework by key; keys it does not hold are absent from the map. */
export async function findRequirementIdsByKeys(
  db: Queryable,
  frameworkId: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const result = await db.query<{ key: string; id: string }>(
    "select requirement_key as key, id from requirements where framework_id = $1 and requirement_key = any($2::text[])",
    [frameworkId, keys],
  );
  return new Map(result.rows.map((row) => [row.key, row.id]));
}
