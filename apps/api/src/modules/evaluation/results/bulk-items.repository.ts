import type { Queryable } from "../../../db/database.ts";

export async function insertBulkItems(db: Queryable, runId: string, items: unknown[]): Promise<void> {
  if (items.length === 0) return;
  await db.query("insert into run_bulk_items (run_id, item) select $1, value from jsonb_array_elements($2::jsonb)", [
    runId,
    JSON.stringify(items),
  ]);
}

export async function markBulkDone(db: Queryable, runId: string): Promise<void> {
  await db.query("update runs set bulk_done_at = coalesce(bulk_done_at, now()) where id = $1", [runId]);
}

export async function findBulkState(db: Queryable, runId: string): Promise<{ itemCount: number; isDone: boolean }> {
  const result = await db.query<{ itemCount: number; isDone: boolean }>(
    `select (select count(*)::int from run_bulk_items where run_id = $1) as "itemCount", (bulk_done_at is not null) as "isDone" from runs where id = $1`,
    [runId],
  );
  return result.rows[0] ?? { itemCount: 0, isDone: false };
}

export async function listBulkItems(db: Queryable, runId: string): Promise<unknown[]> {
  const result = await db.query<{ item: unknown }>("select item from run_bulk_items where run_id = $1 order by id", [
    runId,
  ]);
  return result.rows.map((row) => row.item);
}
