import type { ControlPanel } from "@status/shared";

/** A stored link; the browser paths are added by the service from the configuration. */
export type ControlPanelRow = Omit<ControlPanel, "dashboardUrl" | "embedPath">;
import type { Queryable } from "../../db/database.ts";

const COLUMNS = `id, control_id as "controlId", dashboard_uid as "dashboardUid", panel_id as "panelId",
  dashboard_title as "dashboardTitle", panel_title as "panelTitle", created_at as "createdAt"`;

export async function listPanelsOfControl(db: Queryable, controlId: string): Promise<ControlPanelRow[]> {
  const result = await db.query<ControlPanelRow>(
    `select ${COLUMNS} from control_panels where control_id = $1 order by created_at, id`,
    [controlId],
  );
  return result.rows;
}

export async function findControlPanel(
  db: Queryable,
  controlId: string,
  id: string,
): Promise<ControlPanelRow | undefined> {
  const result = await db.query<ControlPanelRow>(
    `select ${COLUMNS} from control_panels where id = $1 and control_id = $2`,
    [id, controlId],
  );
  return result.rows[0];
}

export interface NewControlPanel {
  controlId: string;
  dashboardUid: string;
  panelId: number;
  dashboardTitle: string;
  panelTitle: string;
  createdBy: string | null;
}

export async function insertControlPanel(db: Queryable, link: NewControlPanel): Promise<ControlPanelRow> {
  const result = await db.query<ControlPanelRow>(
    `insert into control_panels (control_id, dashboard_uid, panel_id, dashboard_title, panel_title, created_by)
     values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [link.controlId, link.dashboardUid, link.panelId, link.dashboardTitle, link.panelTitle, link.createdBy],
  );
  return result.rows[0]!;
}

export async function deleteControlPanelRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from control_panels where id = $1", [id]);
}

/** Removes the links to dashboards that no longer exist; answers how many went. */
export async function deletePanelsOfDashboards(db: Queryable, dashboardUids: string[]): Promise<number> {
  if (dashboardUids.length === 0) return 0;
  const result = await db.query("delete from control_panels where dashboard_uid = any($1::text[])", [dashboardUids]);
  return result.rowCount ?? 0;
}
