import {
  endAfterStart,
  type Catalog,
  type Control,
  type ControlListQuery,
  type CreateControlBody,
  type ControlPage,
  type UpdateControlBody,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import type { CatalogControls } from "../../domain/catalog-controls.ts";
import { recordAudit } from "../audit/index.ts";
import { assertCatalogNotArchived, findCatalogsByIds, requireCatalog } from "../catalogs/index.ts";
import { requestPublication } from "../publications/index.ts";
import { getVersionsOfControls, recordVersionIfChanged } from "./control-versions.service.ts";
import { finalizeWithFirstVersion, type ControlVersionRow } from "./control-versions.repository.ts";
import type { VersionSpan } from "../../domain/version-windows.ts";
import type { ArchiveFields } from "../../db/archive-columns.ts";
import {
  countControlPoints,
  deleteControlRow,
  findControl,
  findControlsByIds,
  insertControl,
  insertControlIntoCatalog,
  listControls,
  listControlIdsOfCatalog,
  listIncompleteControlNames,
  setControlArchiveRow,
  updateControlRow,
  type ControlFields,
  type ControlListFilter,
} from "./controls.repository.ts";
import { readControlJson, readControlListJson } from "./control-json-reads.ts";
import { storeDraftControl } from "./draft-control-batches.ts";

function rethrowDuplicate(error: unknown): never {
  if (isUniqueViolation(error, "controls_catalog_name_key"))
    throw new ConflictError("duplicate", "The catalog already has a control with that name");
  throw error;
}

/** The list filters with `owner=me` / `watching=me` naming the viewer. */
function resolveViewer(query: ControlListQuery, viewerId: string | undefined): ControlListFilter {
  const resolve = (value: string | undefined) => (value === "me" ? viewerId : value);
  return { ...query, owner: resolve(query.owner), watching: resolve(query.watching) };
}

/** Controls across catalogs; `owner`/`watching` (`me` or a user id) keep those the user owns or watches. */
export async function listAllControls(deps: AppDeps, query: ControlListQuery, viewerId?: string): Promise<ControlPage> {
  return listControls(deps.db, resolveViewer(query, viewerId), deps.now());
}

/** Controls of one catalog; 404 when the catalog does not exist, so an empty list always means "no controls". */
export async function listControlsOfCatalog(
  deps: AppDeps,
  catalogId: string,
  query: ControlListQuery,
  viewerId?: string,
): Promise<ControlPage> {
  await requireCatalog(deps.db, catalogId);
  return listControls(deps.db, { ...resolveViewer(query, viewerId), catalogId }, deps.now());
}

/** `listAllControls` as the JSON text of its ControlPage, built by Postgres, for the list route to answer as it is. */
export async function listAllControlsAsJson(
  deps: AppDeps,
  query: ControlListQuery,
  viewerId?: string,
): Promise<{ json: string }> {
  return { json: await readControlListJson(deps.db, resolveViewer(query, viewerId), deps.now()) };
}

/** `listControlsOfCatalog` as the JSON text of its ControlPage (see `listAllControlsAsJson`). */
export async function listControlsOfCatalogAsJson(
  deps: AppDeps,
  catalogId: string,
  query: ControlListQuery,
  viewerId?: string,
): Promise<{ json: string }> {
  await requireCatalog(deps.db, catalogId);
  return { json: await readControlListJson(deps.db, { ...resolveViewer(query, viewerId), catalogId }, deps.now()) };
}

export async function requireControl(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Control> {
  const control = await findControl(db, id, options);
  if (!control) throw new NotFoundError("control", id);
  return control;
}

export async function getControl(deps: AppDeps, id: string): Promise<Control> {
  return requireControl(deps.db, id);
}

/** `getControl` as the JSON text of the Control, built by Postgres, for the route to answer as it is. */
export async function getControlAsJson(deps: AppDeps, id: string): Promise<{ json: string }> {
  const json = await readControlJson(deps.db, id);
  if (json === undefined) throw new NotFoundError("control", id);
  return { json };
}

function assertEvaluable(fields: ControlFields): void {
  if (fields.kind === "push" && fields.mashupId) {
    throw new ValidationError([{ path: "body.mashupId", message: "A push control has no mashup" }]);
  }
  if (fields.status === "finalized" && fields.kind === "mashup" && !fields.mashupId) {
    throw new ValidationError([{ path: "body.mashupId", message: "A finalized control needs a mashup" }]);
  }
}

/** Adds a control to a catalog. In a finalized catalog the control is finalized at once, so it needs a mashup. */
export async function createControl(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  input: CreateControlBody,
): Promise<Control> {
  const kind = input.kind ?? "mashup";
  assertEvaluable({ ...input, kind, status: "draft" });
  // Issue 19: the usual case, a draft control added to a draft catalog, is one statement with its audit row instead of
  // begin, insert, audit and commit. Nothing else the transaction below does applies to it: a draft catalog has no
  // publication to mark due. Any other case (no such catalog, archived, finalized) takes the transaction below.
  // Requests arriving together share that statement (draft-control-batches.ts).
  try {
    const draft = await storeDraftControl(deps.db, actor, catalogId, { ...input, kind, status: "draft" });
    if (draft) return draft;
  } catch (error) {
    rethrowDuplicate(error);
  }
  return createControlInTransaction(deps, actor, catalogId, input);
}

/** createControl in a catalog that is not a draft (finalizing the control) or cannot take it (saying why). */
async function createControlInTransaction(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  input: CreateControlBody,
): Promise<Control> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const kind = input.kind ?? "mashup";
      // The checks that need no catalog first, as before: a push control with a mashup is refused without an insert.
      assertEvaluable({ ...input, kind, status: "draft" });
      const inserted = await insertControlIntoCatalog(tx, catalogId, { ...input, kind, status: "draft" });
      const { catalog } = inserted;
      if (!catalog) throw new NotFoundError("catalog", catalogId);
      const fields: ControlFields = { ...input, kind, status: catalog.status === "finalized" ? "finalized" : "draft" };
      // Not inserted: the catalog is archived, or finalized while the control has no mashup; each throws here.
      assertCatalogNotArchived(catalog);
      assertEvaluable(fields);
      const draft = inserted.control;
      if (!draft) throw new Error(`control not inserted into catalog ${catalogId} for no known reason`);
      let control = draft;
      // Finalizing gives the control its version: read it again then; a draft is as inserted.
      if (fields.status === "finalized") {
        await finalizeControls(tx, actor, { controlIds: [draft.id] });
        control = (await findControl(tx, draft.id))!;
      }
      await recordAudit(tx, actor, {
        action: "create",
        resourceType: "control",
        resourceId: control.id,
        after: control,
      });
      await requestPublication(tx, deps.config, catalogId);
      return control;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/**
 * Creates draft controls (each audited) in a draft catalog, in the caller's transaction: a catalog started from a
 * framework gets one per requirement, mapped in the same transaction.
 */
export async function createDraftControlsIn(
  tx: Queryable,
  actor: Actor,
  input: { catalogId: string; controls: CreateControlBody[] },
): Promise<Control[]> {
  const created: Control[] = [];
  try {
    for (const fields of input.controls) {
      const control = await insertControl(tx, input.catalogId, {
        ...fields,
        kind: fields.kind ?? "mashup",
        status: "draft",
      });
      await recordAudit(tx, actor, {
        action: "create",
        resourceType: "control",
        resourceId: control.id,
        after: control,
      });
      created.push(control);
    }
  } catch (error) {
    rethrowDuplicate(error);
  }
  return created;
}

/**
 * Applies a partial update. A finalized control never returns to draft; a draft is finalized only in a finalized
 * catalog. On a finalized control, a change of period, threshold, mashup or parameters needs `reason` and creates
 * the next control version, effective from the next window not yet evaluated; name, description and dates change
 * freely (all of it audited).
 */
export async function updateControl(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: UpdateControlBody,
): Promise<Control> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const before = await requireControl(tx, id, { forUpdate: true });
      assertControlNotArchived(before);
      const fields: ControlFields = {
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        period: input.period ?? before.period,
        startDate: input.startDate !== undefined ? input.startDate : before.startDate,
        endDate: input.endDate !== undefined ? input.endDate : before.endDate,
        kind: before.kind,
        mashupId: input.mashupId !== undefined ? input.mashupId : before.mashupId,
        params: input.params ?? before.params,
        threshold: input.threshold ?? before.threshold,
        status: input.status ?? before.status,
        // How long a point may be late before the control is stale: presentation, not a result, so no version.
        staleGraceMinutes: input.staleGraceMinutes !== undefined ? input.staleGraceMinutes : before.staleGraceMinutes,
      };
      if (before.status === "finalized" && fields.status === "draft") {
        throw new ConflictError("control_finalized", "A finalized control cannot return to draft");
      }
      if (!endAfterStart(fields)) {
        throw new ValidationError([{ path: "body.endDate", message: "Must be after startDate" }]);
      }
      if (before.status === "draft" && fields.status === "finalized") {
        const catalog = await requireCatalog(tx, before.catalogId);
        if (catalog.status !== "finalized")
          throw new ConflictError(
            "control_not_finalizable",
            "Finalize the catalog first; its controls are finalized with it",
          );
      }
      assertEvaluable(fields);
      const isFinalizing = before.status === "draft" && fields.status === "finalized";
      // A control is finalized with its version 1, which takes its fields as they are now written.
      await updateControlRow(tx, id, isFinalizing ? { ...fields, status: "draft" } : fields);
      if (isFinalizing) await finalizeControls(tx, actor, { controlIds: [id] });
      else await recordVersionIfChanged(tx, actor, { controlId: id, reason: input.reason, reasonPath: "body.reason" });
      const after = (await findControl(tx, id))!;
      await recordAudit(tx, actor, {
        action: "update",
        resourceType: "control",
        resourceId: id,
        before,
        after: input.reason ? { ...after, reason: input.reason } : after,
      });
      await requestPublication(tx, deps.config, after.catalogId);
      return after;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/**
 * Refuses a change to a control that is archived, or whose catalog is: it is read-only (and unscheduled) until
 * restored. Runs, scope sets and edits all go through this check.
 */
export function assertControlNotArchived(control: Control): void {
  if (control.archive)
    throw new ConflictError(
      "archived",
      `The control "${control.name}" is archived; restore it first (POST /controls/${control.id}/restore)`,
    );
  if (control.isCatalogArchived)
    throw new ConflictError(
      "archived",
      `The catalog of the control "${control.name}" is archived; restore the catalog first (POST /catalogs/${control.catalogId}/restore)`,
    );
}

/** For the archive module: archives (who, why) or, given null, restores the control, in the caller's transaction. */
export async function setControlArchive(tx: Queryable, id: string, archive: ArchiveFields | null): Promise<Control> {
  await setControlArchiveRow(tx, id, archive);
  return requireControl(tx, id);
}

/** How many points the control has recorded: a control with points is archived, never deleted. */
export async function countPointsOfControl(db: Queryable, id: string): Promise<number> {
  return countControlPoints(db, id);
}

/** For the archive module: the ids of every control of a catalog, archived or not, in the caller's transaction. */
export async function listControlIdsInCatalog(tx: Queryable, catalogId: string): Promise<string[]> {
  return listControlIdsOfCatalog(tx, catalogId);
}

/**
 * For the archive module: deletes a draft control's row, once its runs and scope sets are gone (the database refuses
 * otherwise, and always for a control with points or versions).
 */
export async function removeControlRow(tx: Queryable, id: string): Promise<void> {
  await deleteControlRow(tx, id);
}

/** Finalizes draft controls (those of a catalog, or the given ones), each with its version 1 as the actor's. */
async function finalizeControls(
  tx: Queryable,
  actor: Actor,
  target: { catalogId?: string; controlIds?: string[] },
): Promise<number> {
  return finalizeWithFirstVersion(tx, {
    catalogId: target.catalogId ?? null,
    controlIds: target.controlIds ?? [],
    reason: "Finalized: the first version",
    actor: { id: actor.userId, name: actor.username },
  });
}

/** The controls' part of finalizing a catalog: AppDeps.catalogControls, through which the catalogs service calls. */
export const catalogControls: CatalogControls = {
  listIncompleteNames: (tx, catalogId) => listIncompleteControlNames(tx, catalogId),
  finalizeDrafts: (tx, catalogId, actor) => finalizeControls(tx, actor, { catalogId }),
};

/** A control with its catalog and its versions (none for a draft), as a run is evaluated against them. */
export interface ControlWithHistory {
  control: Control;
  catalog: Catalog;
  versions: ControlVersionRow[];
  spans: VersionSpan[];
}

/** The given controls with their catalogs and versions (none for a draft), by control id. */
export async function getControlsWithHistory(db: Queryable, ids: string[]): Promise<Map<string, ControlWithHistory>> {
  const [withCatalogs, versioned] = await Promise.all([
    getControlsWithCatalogs(db, ids),
    getVersionsOfControls(db, ids),
  ]);
  return new Map(
    [...withCatalogs].map(([id, { control, catalog }]) => {
      const history = versioned.get(id);
      return [id, { control, catalog, versions: history?.versions ?? [], spans: history?.spans ?? [] }] as const;
    }),
  );
}

export async function getControlsWithCatalogs(
  db: Queryable,
  ids: string[],
): Promise<Map<string, { control: Control; catalog: Catalog }>> {
  const controls = await findControlsByIds(db, ids);
  const catalogs = await findCatalogsByIds(db, [...new Set(controls.map((control) => control.catalogId))]);
  const catalogsById = new Map(catalogs.map((catalog) => [catalog.id, catalog]));
  return new Map(controls.map((control) => [control.id, { control, catalog: catalogsById.get(control.catalogId)! }]));
}
