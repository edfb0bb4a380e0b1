import type { Page, Scope, ScopeListQuery, ScopeSet, ScopeType, ScopeValue } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { likePattern, orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";

const SCOPE_COLUMNS = `id, name, description, type, default_value as "defaultValue", allowed_values as "allowedValues",
  created_at as "createdAt", updated_at as "updatedAt"`;

export async function findScope(db: Queryable, id: string): Promise<Scope | undefined> {
  const result = await db.query<Scope>(`select ${SCOPE_COLUMNS} from scopes where id = $1`, [id]);
  return result.rows[0];
}

export async function findScopesByName(db: Queryable, names: string[]): Promise<Scope[]> {
  const result = await db.query<Scope>(`select ${SCOPE_COLUMNS} from scopes where name = any($1::text[])`, [names]);
  return result.rows;
}

export interface ScopeFields {
  description: string;
  defaultValue: ScopeValue | null;
  allowedValues: ScopeValue[] | null;
}

function json(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

export async function insertScope(
  db: Queryable,
  scope: ScopeFields & { name: string; type: ScopeType },
): Promise<Scope> {
  const result = await db.query<Scope>(
    `insert into scopes (name, description, type, default_value, allowed_values) values ($1, $2, $3, $4, $5) returning ${SCOPE_COLUMNS}`,
    [scope.name, scope.description, scope.type, json(scope.defaultValue), json(scope.allowedValues)],
  );
  return result.rows[0]!;
}

export async function updateScopeRow(db: Queryable, id: string, fields: ScopeFields): Promise<Scope> {
  const result = await db.query<Scope>(
    `update scopes set description = $2, default_value = $3, allowed_values = $4, updated_at = now() where id = $1 returning ${SCOPE_COLUMNS}`,
    [id, fields.description, json(fields.defaultValue), json(fields.allowedValues)],
  );
  return result.rows[0]!;
}

export async function deleteScopeRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from scopes where id = $1", [id]);
}

const SORT_COLUMNS = { name: "name", createdAt: "created_at" };

export async function listScopes(db: Queryable, query: ScopeListQuery): Promise<Page<Scope>> {
  const where = new WhereBuilder()
    .add("type = $?", query.type)
    .add("(name ilike $? or description ilike $?)", query.q ? likePattern(query.q) : undefined);
  return queryPage<Scope>(db, {
    select: SCOPE_COLUMNS,
    from: "scopes",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
}

// A set's values are stored one row per dimension and read back as one JSON object.
const SCOPE_SET_COLUMNS = `scope_sets.id, scope_sets.control_id as "controlId",
  coalesce((select jsonb_object_agg(scopes.name, scope_set_values.value)
              from scope_set_values join scopes on scopes.id = scope_set_values.scope_id
             where scope_set_values.scope_set_id = scope_sets.id), '{}'::jsonb) as values,
  scope_sets.created_at as "createdAt", scope_sets.updated_at as "updatedAt"`;

export async function findScopeSet(db: Queryable, controlId: string, id: string): Promise<ScopeSet | undefined> {
  const result = await db.query<ScopeSet>(
    `select ${SCOPE_SET_COLUMNS} from scope_sets where id = $1 and control_id = $2`,
    [id, controlId],
  );
  return result.rows[0];
}

export async function listScopeSets(
  db: Queryable,
  controlId: string,
  page: number,
  pageSize: number,
): Promise<Page<ScopeSet>> {
  const where = new WhereBuilder().add("scope_sets.control_id = $?", controlId);
  return queryPage<ScopeSet>(db, {
    select: SCOPE_SET_COLUMNS,
    from: "scope_sets",
    where,
    orderBy: "order by scope_sets.created_at asc, scope_sets.id asc",
    page,
    pageSize,
  });
}

export async function insertScopeSet(db: Queryable, controlId: string, valuesKey: string): Promise<string> {
  const result = await db.query<{ id: string }>(
    "insert into scope_sets (control_id, values_key) values ($1, $2) returning id",
    [controlId, valuesKey],
  );
  return result.rows[0]!.id;
}

export async function updateScopeSetKey(db: Queryable, id: string, valuesKey: string): Promise<void> {
  await db.query("update scope_sets set values_key = $2, updated_at = now() where id = $1", [id, valuesKey]);
}

/** Replaces the values of a set: `scopeIds[i]` gets `values[i]`. */
export async function replaceScopeSetValues(
  db: Queryable,
  scopeSetId: string,
  scopeIds: string[],
  values: ScopeValue[],
): Promise<void> {
  await db.query("delete from scope_set_values where scope_set_id = $1", [scopeSetId]);
  await db.query(
    `insert into scope_set_values (scope_set_id, scope_id, value)
     select $1, scope_id, value from unnest($2::uuid[], $3::jsonb[]) as input(scope_id, value)`,
    [scopeSetId, scopeIds, values.map((value) => JSON.stringify(value))],
  );
}

export async function deleteScopeSetRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from scope_sets where id = $1", [id]);
}

/** Every scope set of a control with its values (for creating runs; a control has few). */
export async function listAllScopeSetsOfControl(
  db: Queryable,
  controlId: string,
): Promise<{ id: string; values: Record<string, ScopeValue> }[]> {
  const result = await db.query<{ id: string; values: Record<string, ScopeValue> }>(
    `select scope_sets.id, coalesce((select jsonb_object_agg(scopes.name, scope_set_values.value)
                                       from scope_set_values join scopes on scopes.id = scope_set_values.scope_id
                                      where scope_set_values.scope_set_id = scope_sets.id), '{}'::jsonb) as values
       from scope_sets where control_id = $1 order by created_at, id`,
    [controlId],
  );
  return result.rows;
}

/** Deletes every scope set of a control (their values go with them), for deleting a draft control. */
export async function deleteScopeSetsOfControls(db: Queryable, controlIds: string[]): Promise<number> {
  const result = await db.query("delete from scope_sets where control_id = any($1::uuid[])", [controlIds]);
  return result.rowCount ?? 0;
}
