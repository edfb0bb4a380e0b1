import type {
  CreateDashboardBody,
  DependencyCheck,
  CreateDashboardFolderBody,
  DashboardDetail,
  DashboardFolder,
  DashboardListQuery,
  DashboardPanel,
  DashboardSummary,
  ImportDashboardBody,
  Page,
  SavedDashboard,
} from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { getCatalog } from "../catalogs/index.ts";
import { getControl } from "../controls/index.ts";
import { deletePanelsOfDashboards } from "./control-panels.repository.ts";
import { buildTemplateDashboard, type TemplateSubject } from "./dashboard-templates.ts";
import { requireGrafana, requireGrafanaConfig } from "./grafana-access.ts";
import { probeGrafana } from "./grafana-status.service.ts";
import type { GrafanaDashboard, GrafanaSaveAnswer, GrafanaSearchHit } from "./grafana-client.ts";

function browserPath(deps: AppDeps, uid: string): string {
  return `${deps.config.grafana.publicPath}/d/${uid}`;
}

function toSummary(deps: AppDeps, hit: GrafanaSearchHit): DashboardSummary {
  return {
    uid: hit.uid,
    title: hit.title,
    url: browserPath(deps, hit.uid),
    folderUid: hit.folderUid || null,
    folderTitle: hit.folderTitle || null,
    tags: hit.tags,
  };
}

/** Dashboards in Grafana, searched by title and folder, paged by STATUS (Grafana's search has no total). */
export async function listDashboards(deps: AppDeps, query: DashboardListQuery): Promise<Page<DashboardSummary>> {
  const hits = await requireGrafana(deps).searchDashboards({ query: query.q, folderUid: query.folderUid });
  const start = (query.page - 1) * query.pageSize;
  return {
    items: hits.slice(start, start + query.pageSize).map((hit) => toSummary(deps, hit)),
    total: hits.length,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Panels of a dashboard, including those inside collapsed rows. */
export function panelsOf(dashboard: Record<string, unknown>): DashboardPanel[] {
  const panels: DashboardPanel[] = [];
  const visit = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items as Record<string, unknown>[]) {
      if (typeof item !== "object" || item === null) continue;
      if (typeof item.id === "number" && Number.isInteger(item.id) && item.type !== "row") {
        panels.push({
          id: item.id,
          title: typeof item.title === "string" ? item.title : "",
          type: typeof item.type === "string" ? item.type : "",
        });
      }
      visit(item.panels);
    }
  };
  visit(dashboard.panels);
  return panels;
}

function toDetail(deps: AppDeps, uid: string, answer: GrafanaDashboard): DashboardDetail {
  return {
    dashboard: answer.dashboard,
    meta: {
      url: browserPath(deps, uid),
      folderUid: answer.meta.folderUid || null,
      folderTitle: answer.meta.folderTitle || null,
      version: answer.meta.version ?? answer.dashboard.version ?? 0,
      updated: answer.meta.updated ?? null,
      embedPath: `${deps.config.grafana.publicPath}/d-solo/${uid}`,
    },
    panels: panelsOf(answer.dashboard),
  };
}

/** A dashboard's JSON model (the export) with where it lives and its panels. */
export async function getDashboard(deps: AppDeps, uid: string): Promise<DashboardDetail> {
  return toDetail(deps, uid, await requireGrafana(deps).getDashboard(uid));
}

function toSaved(deps: AppDeps, answer: GrafanaSaveAnswer, title: string, folderUid: string | null): SavedDashboard {
  return { uid: answer.uid, title, url: browserPath(deps, answer.uid), version: answer.version, folderUid };
}

async function subjectOf(deps: AppDeps, input: CreateDashboardBody): Promise<TemplateSubject> {
  const subject: TemplateSubject = {};
  if (input.catalogId) subject.catalog = await getCatalog(deps, input.catalogId);
  if (input.controlId) subject.control = await getControl(deps, input.controlId);
  return subject;
}

/** Creates a dashboard from a STATUS template; the catalog or control it starts on must exist. */
export async function createDashboard(
  deps: AppDeps,
  actor: Actor,
  input: CreateDashboardBody,
): Promise<SavedDashboard> {
  const grafana = requireGrafana(deps);
  const subject = await subjectOf(deps, input);
  const dashboard = buildTemplateDashboard({
    title: input.title,
    template: input.template,
    subject,
    datasourceUid: requireGrafanaConfig(deps).datasourceUid,
  });
  const answer = await grafana.saveDashboard({
    dashboard,
    folderUid: input.folderUid,
    overwrite: false,
    message: `Created by ${actor.username} in STATUS`,
  });
  const saved = toSaved(deps, answer, input.title, input.folderUid);
  await recordAudit(deps.db, actor, {
    action: "create",
    resourceType: "dashboard",
    resourceId: saved.uid,
    after: {
      ...saved,
      template: input.template,
      catalogId: input.catalogId ?? null,
      controlId: input.controlId ?? null,
    },
  });
  return saved;
}

/**
 * Imports a dashboard's JSON model. Its numeric `id` belongs to the Grafana it came from and is dropped; its uid is
 * kept, so importing it again is a conflict unless `overwrite` is set.
 */
export async function importDashboard(
  deps: AppDeps,
  actor: Actor,
  input: ImportDashboardBody,
): Promise<SavedDashboard> {
  const grafana = requireGrafana(deps);
  const dashboard: Record<string, unknown> = { ...input.dashboard, id: null };
  if (!input.overwrite) delete dashboard.version;
  const answer = await grafana.saveDashboard({
    dashboard,
    folderUid: input.folderUid,
    overwrite: input.overwrite,
    message: `Imported by ${actor.username} in STATUS`,
  });
  const saved = toSaved(deps, answer, input.dashboard.title, input.folderUid);
  await recordAudit(deps.db, actor, {
    action: answer.version > 1 ? "update" : "create",
    resourceType: "dashboard",
    resourceId: saved.uid,
    after: { ...saved, imported: true, overwrite: input.overwrite },
  });
  return saved;
}

/** Deletes a dashboard in Grafana and the control links to its panels. */
export async function deleteDashboard(deps: AppDeps, actor: Actor, uid: string): Promise<void> {
  const grafana = requireGrafana(deps);
  const before = await grafana.getDashboard(uid);
  await grafana.deleteDashboard(uid);
  await withTransaction(deps.db, async (tx) => {
    const unlinked = await deletePanelsOfDashboards(tx, [uid]);
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "dashboard",
      resourceId: uid,
      before: {
        uid,
        title: before.dashboard.title,
        folderUid: before.meta.folderUid ?? null,
        unlinkedPanels: unlinked,
      },
    });
  });
}

export async function listFolders(deps: AppDeps): Promise<DashboardFolder[]> {
  const folders = await requireGrafana(deps).listFolders();
  return folders.map((folder) => ({ uid: folder.uid, title: folder.title }));
}

export async function createFolder(
  deps: AppDeps,
  actor: Actor,
  input: CreateDashboardFolderBody,
): Promise<DashboardFolder> {
  const created = await requireGrafana(deps).createFolder(input.title);
  const folder = { uid: created.uid, title: created.title };
  await recordAudit(deps.db, actor, {
    action: "create",
    resourceType: "dashboard_folder",
    resourceId: folder.uid,
    after: folder,
  });
  return folder;
}

/** Deletes a folder; Grafana deletes its dashboards with it, so their control links go too. */
export async function deleteFolder(deps: AppDeps, actor: Actor, uid: string): Promise<void> {
  const grafana = requireGrafana(deps);
  // One folder by uid (404 when missing) rather than every folder; its title is only for the audit.
  const folder = await grafana.getFolder(uid);
  const dashboards = await grafana.searchDashboards({ folderUid: uid });
  await grafana.deleteFolder(uid);
  await withTransaction(deps.db, async (tx) => {
    const unlinked = await deletePanelsOfDashboards(
      tx,
      dashboards.map((hit) => hit.uid),
    );
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "dashboard_folder",
      resourceId: uid,
      before: { uid, title: folder.title, dashboards: dashboards.map((hit) => hit.uid), unlinkedPanels: unlinked },
    });
  });
}

/**
 * Whether Grafana answers and takes STATUS's credential (`pending` while STATUS waits to make its service account);
 * 503 when Grafana is not configured.
 */
export async function checkGrafana(deps: AppDeps): Promise<DependencyCheck> {
  requireGrafanaConfig(deps);
  const started = performance.now();
  const probe = await probeGrafana(deps);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const status = probe.status === "up" || probe.status === "pending" ? probe.status : "down";
  return { name: "grafana", status, latencyMs, ...(probe.detail ? { detail: probe.detail } : {}) };
}
