import type { MyControl, Person } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { likePattern } from "../../db/pagination.ts";

/** Makes `userId` the control's owner (replacing any other). */
export async function upsertOwner(
  db: Queryable,
  input: { controlId: string; userId: string; assignedBy: string },
): Promise<void> {
  await db.query(
    `insert into control_owners (control_id, user_id, assigned_by) values ($1, $2, $3)
     on conflict (control_id) do update set user_id = excluded.user_id, assigned_by = excluded.assigned_by,
       assigned_at = now()`,
    [input.controlId, input.userId, input.assignedBy],
  );
}

/** Leaves the control without an owner; true when it had one. */
export async function deleteOwner(db: Queryable, controlId: string): Promise<boolean> {
  const result = await db.query("delete from control_owners where control_id = $1", [controlId]);
  return (result.rowCount ?? 0) > 0;
}

/** Adds a watcher; false when they were watching already. */
export async function insertWatcher(
  db: Queryable,
  input: { controlId: string; userId: string; addedBy: string },
): Promise<boolean> {
  const result = await db.query(
    `insert into control_watchers (control_id, user_id, added_by) values ($1, $2, $3) on conflict do nothing`,
    [input.controlId, input.userId, input.addedBy],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Removes a watcher; false when they were not watching. */
export async function deleteWatcher(db: Queryable, controlId: string, userId: string): Promise<boolean> {
  const result = await db.query("delete from control_watchers where control_id = $1 and user_id = $2", [
    controlId,
    userId,
  ]);
  return (result.rowCount ?? 0) > 0;
}

/** Enabled users whose username or display name contains `q`, by username (at most 50). */
export async function listPeople(db: Queryable, q: string | undefined): Promise<Person[]> {
  const result = await db.query<Person>(
    `select id, username, display_name as "displayName", role from users
      where not is_disabled and ($1::text is null or username ilike $1 or display_name ilike $1)
      order by lower(username), id limit 50`,
    [q ? likePattern(q) : null],
  );
  return result.rows;
}

/**
 * The controls `userId` owns or watches (not archived, nor in an archived catalog), each with its state at `at` (the
 * one definition, reporting.control_state), its active exceptions and its failing points nobody handled yet.
 */
export async function listControlsOfUser(db: Queryable, userId: string, at: Date): Promise<MyControl[]> {
  const result = await db.query<MyControl>(
    `select c.id as "controlId", c.name as "controlName", c.catalog_id as "catalogId", cat.name as "catalogName",
            exists (select 1 from control_owners o where o.control_id = c.id and o.user_id = $1) as "isOwner",
            exists (select 1 from control_watchers w where w.control_id = c.id and w.user_id = $1) as "isWatching",
            coalesce(reporting.control_state(s.is_active, s.stale_at, s.last_result, $2), 'not_evaluated') as state,
            s.last_evaluated_at as "lastEvaluatedAt",
            (select count(*)::int from point_exceptions e
              where e.control_id = c.id and e.revoked_at is null and e.expires_at > $2) as "activeExceptionCount",
            (select count(*)::int from points p
              where p.control_id = c.id and p.result = 'fail'
                and not exists (select 1 from point_acknowledgements a where a.point_id = p.id)
                and not exists (select 1 from point_exceptions e
                                 where e.point_id = p.id and e.revoked_at is null and e.expires_at > $2))
              as "unhandledFailureCount"
       from controls c
       join catalogs cat on cat.id = c.catalog_id
       left join reporting.control_states s on s.control_id = c.id
      where (exists (select 1 from control_owners o where o.control_id = c.id and o.user_id = $1)
             or exists (select 1 from control_watchers w where w.control_id = c.id and w.user_id = $1))
        and c.archived_at is null and cat.archived_at is null
      order by lower(cat.name), lower(c.name), c.id`,
    [userId, at],
  );
  return result.rows;
}
