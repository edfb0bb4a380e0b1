import type { RegistryPublication } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { assertCatalogNotArchived, requireCatalog } from "../catalogs/index.ts";
import { agreementHash, agreementIdOf, buildAgreement, withoutStorageFields, type Agreement } from "./agreement.ts";
import { listControlsWithScopeSets, listScopeDefinitions } from "./agreement-source.repository.ts";
import {
  claimDuePublications,
  enrollUnpublishedCatalogs,
  findPublication,
  markPublicationDue,
  markPublished,
  markPublishFailed,
  type PublicationRow,
} from "../publications/index.ts";
import { createRegistryClient, type RegistryClient } from "./registry-client.ts";
import { registryNotConfigured } from "./registry-errors.ts";

const PUBLISH_BATCH = 20;
const MAX_RETRY_MS = 3_600_000;

/** The agreement a finalized catalog publishes, built from its current controls, scope sets and scopes. */
export async function buildCatalogAgreement(deps: AppDeps, catalogId: string): Promise<Agreement> {
  const catalog = await requireCatalog(deps.db, catalogId);
  if (catalog.status !== "finalized" || !catalog.startDate)
    throw new ConflictError("registry_not_published", "Only finalized catalogs are published to the registry");
  const controls = await listControlsWithScopeSets(deps.db, catalogId);
  const names = [...new Set(controls.flatMap((control) => control.scopeSets.flatMap((values) => Object.keys(values))))];
  const scopes = await listScopeDefinitions(deps.db, names);
  return buildAgreement({
    catalog: { id: catalog.id, startDate: catalog.startDate, timeZone: catalog.timeZone },
    controls,
    scopes: new Map(scopes.map((scope) => [scope.name, scope])),
    publicApiUrl: deps.config.registry.publicApiUrl,
  });
}

/**
 * The upsert of GOVERNIFY.md §3: GET; POST when absent; PUT only when the stored agreement (without MongoDB's `_id`
 * and `__v`) differs. A registry without PUT (the statuscompliance fork answers 404) gets DELETE then POST, so a
 * change is never silently lost.
 */
export async function upsertAgreement(
  registry: RegistryClient,
  agreement: Agreement,
): Promise<"created" | "replaced" | "unchanged"> {
  const stored = await registry.getAgreement(agreement.id);
  if (!stored) {
    await registry.createAgreement(agreement);
    return "created";
  }
  if (agreementHash(withoutStorageFields(stored)) === agreementHash(agreement)) return "unchanged";
  if (!(await registry.replaceAgreement(agreement))) {
    await registry.deleteAgreement(agreement.id);
    await registry.createAgreement(agreement);
  }
  return "replaced";
}

function retryDelay(deps: AppDeps, attempts: number): number {
  return Math.min(deps.config.registry.publishIntervalMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

async function publishOne(deps: AppDeps, registry: RegistryClient, row: PublicationRow): Promise<void> {
  try {
    const agreement = await buildCatalogAgreement(deps, row.catalogId);
    const outcome = await upsertAgreement(registry, agreement);
    const hash = agreementHash(agreement);
    await withTransaction(deps.db, async (tx) => {
      await markPublished(tx, row.catalogId, hash, row.requestedAt);
      if (outcome !== "unchanged" || row.publishedHash !== hash) {
        await recordAudit(tx, null, {
          action: "update",
          resourceType: "registry_publication",
          resourceId: row.catalogId,
          after: { agreementId: agreement.id, outcome, hash, registry: registry.baseUrl },
        });
      }
    });
    deps.log.info(
      { catalogId: row.catalogId, agreementId: agreement.id, outcome },
      "catalog published to the registry",
    );
  } catch (error) {
    const delay = retryDelay(deps, row.attempts);
    await markPublishFailed(deps.db, row.catalogId, (error as Error).message, delay);
    deps.log.warn(
      { catalogId: row.catalogId, err: error, retryInMs: delay },
      "publishing to the registry failed; will retry",
    );
  }
}

/**
 * The background publisher (an engine tick): enrolls finalized catalogs that have no publication yet, claims the due
 * ones and publishes each. Failures are recorded on the row with the registry's message and retried with backoff.
 */
export async function publishDueCatalogs(deps: AppDeps): Promise<number> {
  const url = deps.config.registry.url;
  if (!url) return 0;
  await enrollUnpublishedCatalogs(deps.db);
  // The lease outlasts one slow registry call per step of the upsert (GET, PUT or DELETE + POST).
  const due = await claimDuePublications(deps.db, deps.config.registry.timeoutMs * 4, PUBLISH_BATCH);
  const registry = createRegistryClient({ baseUrl: url, timeoutMs: deps.config.registry.timeoutMs });
  for (const row of due) await publishOne(deps, registry, row);
  return due.length;
}

function publicationState(row: PublicationRow | undefined, isConfigured: boolean, isArchived: boolean) {
  if (!isConfigured) return "not_configured";
  if (isArchived) return "archived";
  return row?.state ?? "unpublished";
}

function toPublication(
  catalogId: string,
  row: PublicationRow | undefined,
  flags: { isConfigured: boolean; isArchived: boolean },
): RegistryPublication {
  const iso = (value: string | null | undefined) => (value ? new Date(value).toISOString() : null);
  return {
    catalogId,
    agreementId: row?.agreementId ?? agreementIdOf(catalogId),
    state: publicationState(row, flags.isConfigured, flags.isArchived),
    lastError: row?.lastError ?? null,
    attempts: row?.attempts ?? 0,
    nextAttemptAt: row && row.state !== "published" ? iso(row.nextAttemptAt) : null,
    publishedAt: iso(row?.publishedAt),
    publishedHash: row?.publishedHash ?? null,
    lastSyncedAt: iso(row?.lastSyncedAt),
    lastSyncError: row?.lastSyncError ?? null,
  };
}

/** A catalog's publication state, as its detail page shows it. */
export async function getPublication(deps: AppDeps, catalogId: string): Promise<RegistryPublication> {
  const catalog = await requireCatalog(deps.db, catalogId);
  return toPublication(catalogId, await findPublication(deps.db, catalogId), {
    isConfigured: Boolean(deps.config.registry.url),
    isArchived: catalog.archive !== null,
  });
}

/** "Publish now": makes the catalog's publication due at once; the background publisher does the registry calls. */
export async function requestPublishNow(deps: AppDeps, actor: Actor, catalogId: string): Promise<RegistryPublication> {
  if (!deps.config.registry.url) throw registryNotConfigured("Set REGISTRY_URL to publish catalogs to the registry");
  await withTransaction(deps.db, async (tx) => {
    const catalog = await requireCatalog(tx, catalogId, { forUpdate: true });
    if (catalog.status !== "finalized")
      throw new ConflictError("registry_not_published", "Finalize the catalog first; drafts are not published");
    assertCatalogNotArchived(catalog);
    await markPublicationDue(tx, catalogId);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "registry_publication",
      resourceId: catalogId,
      after: { requested: "publish" },
    });
  });
  return getPublication(deps, catalogId);
}
