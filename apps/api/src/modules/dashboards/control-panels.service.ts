import type { ControlPanel, LinkControlPanelBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, ConflictError, NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { getControl } from "../controls/index.ts";
import {
  deleteControlPanelRow,
  findControlPanel,
  insertControlPanel,
  listPanelsOfControl,
  type ControlPanelRow,
} from "./control-panels.repository.ts";
import { panelsOf } from "./dashboards.service.ts";
import { requireGrafana } from "./grafana-access.ts";

function withPaths(deps: AppDeps, row: ControlPanelRow): ControlPanel {
  const publicPath = deps.config.grafana.publicPath;
  return {
    ...row,
    dashboardUrl: `${publicPath}/d/${row.dashboardUid}`,
    embedPath: `${publicPath}/d-solo/${row.dashboardUid}`,
  };
}

/** The panels linked to a control, from STATUS's own table (no call to Grafana). */
export async function listControlPanels(deps: AppDeps, controlId: string): Promise<ControlPanel[]> {
  await getControl(deps, controlId);
  return (await listPanelsOfControl(deps.db, controlId)).map((row) => withPaths(deps, row));
}

/** Links a panel to a control; the panel must exist in Grafana, and its titles are kept for listing. */
export async function linkControlPanel(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  input: LinkControlPanelBody,
): Promise<ControlPanel> {
  await getControl(deps, controlId);
  const answer = await requireGrafana(deps).getDashboard(input.dashboardUid);
  const panel = panelsOf(answer.dashboard).find((candidate) => candidate.id === input.panelId);
  if (!panel)
    throw new AppError(
      422,
      "dashboard_panel_not_found",
      "No such panel",
      `Dashboard ${input.dashboardUid} has no panel ${input.panelId}`,
    );
  try {
    return await withTransaction(deps.db, async (tx) => {
      const link = await insertControlPanel(tx, {
        controlId,
        dashboardUid: input.dashboardUid,
        panelId: input.panelId,
        dashboardTitle: answer.dashboard.title.slice(0, 200),
        panelTitle: panel.title.slice(0, 500),
        createdBy: actor.userId,
      });
      await recordAudit(tx, actor, {
        action: "create",
        resourceType: "control_panel",
        resourceId: link.id,
        after: link,
      });
      return withPaths(deps, link);
    });
  } catch (error) {
    if (isUniqueViolation(error, "control_panels_link_key"))
      throw new ConflictError("duplicate", "This panel is linked to the control already");
    throw error;
  }
}

export async function unlinkControlPanel(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  linkId: string,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await findControlPanel(tx, controlId, linkId);
    if (!before) throw new NotFoundError("panel link", linkId);
    await deleteControlPanelRow(tx, linkId);
    await recordAudit(tx, actor, { action: "delete", resourceType: "control_panel", resourceId: linkId, before });
  });
}
