import type { Assistant, AssistantListQuery, AssistantToolName, Page } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { likePattern, orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";

const ASSISTANT_COLUMNS = `assistants.id, assistants.name, assistants.description, assistants.instructions, assistants.model,
  assistants.tools, assistants.is_enabled as "isEnabled",
  (select count(*) from assistant_documents where assistant_documents.assistant_id = assistants.id)::int as "documentCount",
  assistants.created_at as "createdAt", assistants.updated_at as "updatedAt"`;

export interface AssistantFields {
  name: string;
  description: string;
  instructions: string;
  model: string | null;
  tools: AssistantToolName[];
  isEnabled: boolean;
}

export async function findAssistant(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Assistant | undefined> {
  const result = await db.query<Assistant>(
    `select ${ASSISTANT_COLUMNS} from assistants where id = $1 ${options.forUpdate ? "for update" : ""}`,
    [id],
  );
  return result.rows[0];
}

export async function insertAssistant(db: Queryable, fields: AssistantFields, createdBy: string): Promise<Assistant> {
  const result = await db.query<{ id: string }>(
    `insert into assistants (name, description, instructions, model, tools, is_enabled, created_by) values ($1, $2, $3, $4, $5::text[], $6, $7) returning id`,
    [fields.name, fields.description, fields.instructions, fields.model, fields.tools, fields.isEnabled, createdBy],
  );
  return (await findAssistant(db, result.rows[0]!.id))!;
}

export async function updateAssistantRow(db: Queryable, id: string, fields: AssistantFields): Promise<Assistant> {
  await db.query(
    `update assistants set name = $2, description = $3, instructions = $4, model = $5, tools = $6::text[], is_enabled = $7, updated_at = now() where id = $1`,
    [id, fields.name, fields.description, fields.instructions, fields.model, fields.tools, fields.isEnabled],
  );
  return (await findAssistant(db, id))!;
}

export async function deleteAssistantRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from assistants where id = $1", [id]);
}

const SORT_COLUMNS = { name: "lower(assistants.name)", createdAt: "assistants.created_at" };

/** A page of assistants; `onlyEnabled` for users who may only chat. */
export async function listAssistants(
  db: Queryable,
  query: AssistantListQuery,
  options: { onlyEnabled: boolean },
): Promise<Page<Assistant>> {
  const where = new WhereBuilder().add(
    "(assistants.name ilike $? or assistants.description ilike $?)",
    query.q ? likePattern(query.q) : undefined,
  );
  if (options.onlyEnabled) where.raw("assistants.is_enabled");
  return queryPage<Assistant>(db, {
    select: ASSISTANT_COLUMNS,
    from: "assistants",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS, "assistants.id"),
    page: query.page,
    pageSize: query.pageSize,
  });
}
