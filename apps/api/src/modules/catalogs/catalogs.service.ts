import {
  endAfterStart,
  type Catalog,
  type CatalogListQuery,
  type CreateCatalogBody,
  type Page,
  type UpdateCatalogBody,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { readCatalogListJson } from "./catalog-json-reads.ts";
import { requestPublication } from "../publications/index.ts";
import type { ArchiveFields } from "../../db/archive-columns.ts";
import {
  countCatalogPoints,
  deleteCatalogRow,
  findCatalog,
  findCatalogGateForShare,
  findCatalogsByIds as findCatalogRowsByIds,
  insertCatalog,
  listCatalogs,
  setCatalogArchiveRow,
  updateCatalogRow,
  type CatalogGate,
} from "./catalogs.repository.ts";

function rethrowDuplicate(error: unknown): never {
  if (isUniqueViolation(error, "catalogs_name_key"))
    throw new ConflictError("duplicate", "A catalog with that name exists");
  throw error;
}

export async function listAllCatalogs(deps: AppDeps, query: CatalogListQuery): Promise<Page<Catalog>> {
  return listCatalogs(deps.db, query);
}

/** `listAllCatalogs` as the JSON text of its page, built by Postgres, for the list route to answer as it is. */
export async function listAllCatalogsAsJson(deps: AppDeps, query: CatalogListQuery): Promise<{ json: string }> {
  return { json: await readCatalogListJson(deps.db, query) };
}

export async function getCatalog(deps: AppDeps, id: string): Promise<Catalog> {
  return requireCatalog(deps.db, id);
}

/** Loads a catalog or throws 404; with `forUpdate` it is locked until the transaction ends. */
export async function requireCatalog(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Catalog> {
  const catalog = await findCatalog(db, id, options);
  if (!catalog) throw new NotFoundError("catalog", id);
  return catalog;
}

/** The catalog's status and archive under a share lock, for a change inside it (see findCatalogGateForShare). */
export async function requireCatalogGate(db: Queryable, id: string): Promise<CatalogGate> {
  const catalog = await findCatalogGateForShare(db, id);
  if (!catalog) throw new NotFoundError("catalog", id);
  return catalog;
}

/** Creates a draft catalog. */
export async function createCatalog(deps: AppDeps, actor: Actor, input: CreateCatalogBody): Promise<Catalog> {
  return withTransaction(deps.db, (tx) => createDraftCatalogIn(tx, actor, input));
}

/**
 * Creates a draft catalog (audited) in the caller's transaction, for callers that create more with it: a catalog
 * started from a framework comes with its controls, or not at all.
 */
export async function createDraftCatalogIn(tx: Queryable, actor: Actor, input: CreateCatalogBody): Promise<Catalog> {
  try {
    const catalog = await insertCatalog(tx, { ...input, createdBy: actor.userId });
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "catalog",
      resourceId: catalog.id,
      after: catalog,
    });
    return catalog;
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/** Checks what finalizing needs: a start date, at least one control, and a mashup on every control. */
async function assertFinalizable(
  deps: Pick<AppDeps, "catalogControls">,
  tx: Queryable,
  catalog: Catalog,
  startDate: string | null,
): Promise<void> {
  if (!startDate)
    throw new ValidationError([{ path: "body.startDate", message: "A catalog needs a start date to be finalized" }]);
  if (catalog.controlCount === 0)
    throw new ConflictError("catalog_not_finalizable", "Add at least one control before finalizing the catalog");
  const incomplete = await deps.catalogControls.listIncompleteNames(tx, catalog.id);
  if (incomplete.length > 0) {
    throw new ConflictError(
      "catalog_not_finalizable",
      `Bind a mashup to every control before finalizing; missing on: ${incomplete.join(", ")}`,
    );
  }
}

/**
 * Applies a partial update. `status: "finalized"` finalizes the catalog and all its draft controls in the same
 * transaction; a finalized catalog never returns to draft.
 */
export async function updateCatalog(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: UpdateCatalogBody,
): Promise<Catalog> {
  try {
    return await withTransaction(deps.db, async (tx) => {
      const before = await requireCatalog(tx, id, { forUpdate: true });
      assertCatalogNotArchived(before);
      const merged = {
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        startDate: input.startDate !== undefined ? input.startDate : before.startDate,
        endDate: input.endDate !== undefined ? input.endDate : before.endDate,
        timeZone: input.timeZone ?? before.timeZone,
        firstDayOfWeek: input.firstDayOfWeek ?? before.firstDayOfWeek,
        status: input.status ?? before.status,
      };
      if (before.status === "finalized" && merged.status === "draft") {
        throw new ConflictError("catalog_finalized", "A finalized catalog cannot return to draft");
      }
      if (!endAfterStart(merged)) {
        throw new ValidationError([{ path: "body.endDate", message: "Must be after startDate" }]);
      }
      const isFinalizing = before.status === "draft" && merged.status === "finalized";
      if (isFinalizing) await assertFinalizable(deps, tx, before, merged.startDate);
      // Windows of a finalized catalog count from its start date, so it cannot be cleared afterwards either.
      if (merged.status === "finalized" && !merged.startDate) {
        throw new ValidationError([{ path: "body.startDate", message: "A finalized catalog needs a start date" }]);
      }
      await updateCatalogRow(tx, id, merged);
      if (isFinalizing) await deps.catalogControls.finalizeDrafts(tx, id, actor);
      const after = await requireCatalog(tx, id);
      await recordAudit(tx, actor, { action: "update", resourceType: "catalog", resourceId: id, before, after });
      if (after.status === "finalized") await requestPublication(tx, deps.config, id);
      return after;
    });
  } catch (error) {
    rethrowDuplicate(error);
  }
}

/** Refuses a change to an archived catalog (or to its controls): it is read-only until restored. */
export function assertCatalogNotArchived(catalog: Pick<Catalog, "id" | "name" | "archive">): void {
  if (catalog.archive)
    throw new ConflictError(
      "archived",
      `The catalog "${catalog.name}" is archived; restore it first (POST /catalogs/${catalog.id}/restore)`,
    );
}

/** For the archive module: archives (who, why) or, given null, restores the catalog, in the caller's transaction. */
export async function setCatalogArchive(tx: Queryable, id: string, archive: ArchiveFields | null): Promise<Catalog> {
  await setCatalogArchiveRow(tx, id, archive);
  return requireCatalog(tx, id);
}

/** How many points the catalog has recorded: a catalog with points is archived, never deleted. */
export async function countPointsOfCatalog(db: Queryable, id: string): Promise<number> {
  return countCatalogPoints(db, id);
}

/** For the archive module: deletes the catalog row, once it has no controls left (the database refuses otherwise). */
export async function removeCatalogRow(tx: Queryable, id: string): Promise<void> {
  await deleteCatalogRow(tx, id);
}

/** For other services: several catalogs by id. */
export async function findCatalogsByIds(db: Queryable, ids: string[]): Promise<Catalog[]> {
  return findCatalogRowsByIds(db, ids);
}
