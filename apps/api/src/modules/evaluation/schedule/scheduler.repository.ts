import type { Period } from "@status/shared";
import type { Queryable } from "../../../db/database.ts";

/** A finalized control of a finalized catalog, neither archived, with what scheduling needs. */
export interface SchedulableControl {
  id: string;
  catalogId: string;
  period: Period;
  timeZone: string;
  /** The catalog's first day of week (1 = Monday … 7 = Sunday). */
  firstDayOfWeek: number;
  /** The later of the control's and the catalog's start. */
  startDate: string;
  /** The earlier of the control's and the catalog's end, if any. */
  endDate: string | null;
}

export async function listSchedulableControls(db: Queryable): Promise<SchedulableControl[]> {
  const result = await db.query<SchedulableControl>(
    `select controls.id, controls.catalog_id as "catalogId", controls.period, catalogs.time_zone as "timeZone",
            catalogs.first_day_of_week as "firstDayOfWeek",
            greatest(controls.start_date, catalogs.start_date) as "startDate",
            nullif(least(coalesce(controls.end_date, 'infinity'), coalesce(catalogs.end_date, 'infinity')), 'infinity') as "endDate"
       from controls join catalogs on catalogs.id = controls.catalog_id
      where controls.status = 'finalized' and catalogs.status = 'finalized' and controls.mashup_id is not null
        and controls.archived_at is null and catalogs.archived_at is null
        and greatest(controls.start_date, catalogs.start_date) is not null
      order by controls.id`,
  );
  return result.rows;
}

export async function findScheduleCursors(db: Queryable, controlId: string): Promise<Map<string, string>> {
  const result = await db.query<{ scopeKey: string; scheduledThrough: string }>(
    `select scope_key as "scopeKey", scheduled_through as "scheduledThrough" from schedule_cursors where control_id = $1`,
    [controlId],
  );
  return new Map(result.rows.map((row) => [row.scopeKey, row.scheduledThrough]));
}

export async function saveScheduleCursor(
  db: Queryable,
  controlId: string,
  scopeKey: string,
  scheduledThrough: string,
): Promise<void> {
  await db.query(
    `insert into schedule_cursors (control_id, scope_key, scheduled_through) values ($1, $2, $3)
     on conflict (control_id, scope_key) do update set scheduled_through = greatest(schedule_cursors.scheduled_through, excluded.scheduled_through)`,
    [controlId, scopeKey, scheduledThrough],
  );
}
