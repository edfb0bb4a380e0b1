import type { ArchiveBody, Catalog, Control } from "@status/shared";
import type { ArchiveFields } from "../../db/archive-columns.ts";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { ConflictError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { countPointsOfCatalog, removeCatalogRow, requireCatalog, setCatalogArchive } from "../catalogs/index.ts";
import {
  countPointsOfControl,
  listControlIdsInCatalog,
  removeControlRow,
  requireControl,
  setControlArchive,
} from "../controls/index.ts";
import { requestPublication } from "../publications/index.ts";
import { removeRunsOfDraftControls } from "../evaluation/index.ts";
import { removeScopeSetsOfDraftControls } from "../scopes/index.ts";

/*
 * Archive, never destroy: a catalog or control with recorded history (points, or versions once finalized) is archived
 * instead of deleted. Archiving stops its scheduling and every run trigger and hides it from default lists; its points,
 * computations and versions stay readable, exportable and verifiable. Only drafts (which never have points) are
 * deleted, with their runs and scope sets. The database backs this up: no cascade reaches recorded history (0024).
 */

function archiveOf(actor: Actor, body: ArchiveBody): ArchiveFields {
  return { reason: body.reason, userId: actor.userId, userName: actor.username };
}

function archiveRequired(kind: "catalog" | "control", id: string, why: string): ConflictError {
  return new ConflictError(
    "archive_required",
    `The ${kind} ${why}, so it cannot be deleted; archive it instead (POST /${kind}s/${id}/archive with a reason)`,
  );
}

/** Archives a catalog: its controls stop being scheduled or run and turn read-only with it; audited with the reason. */
export async function archiveCatalog(deps: AppDeps, actor: Actor, id: string, body: ArchiveBody): Promise<Catalog> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireCatalog(tx, id, { forUpdate: true });
    if (before.archive) throw new ConflictError("archived", `The catalog "${before.name}" is archived already`);
    const after = await setCatalogArchive(tx, id, archiveOf(actor, body));
    await recordAudit(tx, actor, { action: "archive", resourceType: "catalog", resourceId: id, before, after });
    // No publication is requested: an archived catalog's agreement stays in the registry as last published.
    return after;
  });
}

/** Restores an archived catalog: scheduling resumes from where it stopped, and its agreement is published again. */
export async function restoreCatalog(deps: AppDeps, actor: Actor, id: string, body: ArchiveBody): Promise<Catalog> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireCatalog(tx, id, { forUpdate: true });
    if (!before.archive) throw new ConflictError("not_archived", `The catalog "${before.name}" is not archived`);
    const after = await setCatalogArchive(tx, id, null);
    await recordAudit(tx, actor, {
      action: "restore",
      resourceType: "catalog",
      resourceId: id,
      before,
      after: { ...after, reason: body.reason },
    });
    await requestPublication(tx, deps.config, id);
    return after;
  });
}

/** Archives a control: it stops being scheduled or run, becomes read-only and leaves its catalog's agreement. */
export async function archiveControl(deps: AppDeps, actor: Actor, id: string, body: ArchiveBody): Promise<Control> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireControl(tx, id, { forUpdate: true });
    if (before.archive) throw new ConflictError("archived", `The control "${before.name}" is archived already`);
    const after = await setControlArchive(tx, id, archiveOf(actor, body));
    await recordAudit(tx, actor, { action: "archive", resourceType: "control", resourceId: id, before, after });
    await requestPublication(tx, deps.config, after.catalogId);
    return after;
  });
}

/** Restores an archived control: scheduling resumes from where it stopped (missed windows are caught up). */
export async function restoreControl(deps: AppDeps, actor: Actor, id: string, body: ArchiveBody): Promise<Control> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireControl(tx, id, { forUpdate: true });
    if (!before.archive) throw new ConflictError("not_archived", `The control "${before.name}" is not archived`);
    const after = await setControlArchive(tx, id, null);
    await recordAudit(tx, actor, {
      action: "restore",
      resourceType: "control",
      resourceId: id,
      before,
      after: { ...after, reason: body.reason },
    });
    await requestPublication(tx, deps.config, after.catalogId);
    return after;
  });
}

/** Why a control cannot be deleted (it has points, or it is finalized and so has recorded versions), or nothing. */
async function assertControlDeletable(tx: Queryable, control: Control): Promise<void> {
  const points = await countPointsOfControl(tx, control.id);
  if (points > 0)
    throw archiveRequired("control", control.id, `has ${points} recorded point${points === 1 ? "" : "s"}`);
  if (control.status === "finalized")
    throw archiveRequired("control", control.id, "is finalized (its versions are part of the record)");
}

/** Deletes a draft control with its runs and scope sets; a control with history answers 409 `archive_required`. */
export async function deleteControl(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await requireControl(tx, id, { forUpdate: true });
    await assertControlDeletable(tx, before);
    await removeDraftControls(tx, [id], null);
    await recordAudit(tx, actor, { action: "delete", resourceType: "control", resourceId: id, before });
    await requestPublication(tx, deps.config, before.catalogId);
  });
}

/**
 * Deletes a draft catalog; one that still has controls needs `cascade`, so nothing is lost by accident. A finalized
 * catalog or one with points answers 409 `archive_required`, with or without `cascade`.
 */
export async function deleteCatalog(
  deps: AppDeps,
  actor: Actor,
  id: string,
  options: { cascade: boolean },
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await requireCatalog(tx, id, { forUpdate: true });
    const points = await countPointsOfCatalog(tx, id);
    if (points > 0) throw archiveRequired("catalog", id, `has ${points} recorded point${points === 1 ? "" : "s"}`);
    if (before.status === "finalized")
      throw archiveRequired("catalog", id, "is finalized (its controls' versions are part of the record)");
    if (before.controlCount > 0 && !options.cascade) {
      throw new ConflictError(
        "catalog_has_controls",
        `The catalog has ${before.controlCount} control${before.controlCount === 1 ? "" : "s"}; delete them first or repeat with ?cascade=true`,
      );
    }
    const controlIds = await listControlIdsInCatalog(tx, id);
    for (const controlId of controlIds) {
      const control = await requireControl(tx, controlId);
      await recordAudit(tx, actor, {
        action: "delete",
        resourceType: "control",
        resourceId: controlId,
        before: control,
      });
    }
    await removeDraftControls(tx, controlIds, id);
    await removeCatalogRow(tx, id);
    await recordAudit(tx, actor, { action: "delete", resourceType: "catalog", resourceId: id, before });
  });
}

/** Each module removes its own rows of the drafts; the database refuses the whole transaction if any had history. */
async function removeDraftControls(tx: Queryable, controlIds: string[], catalogId: string | null): Promise<void> {
  await removeRunsOfDraftControls(tx, { controlIds, catalogId });
  await removeScopeSetsOfDraftControls(tx, controlIds);
  for (const controlId of controlIds) await removeControlRow(tx, controlId);
}
