import type { EvidenceMapping, EvidenceMappingBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { assertTokenPermits } from "../../domain/token-permits.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { requireControl } from "../controls/index.ts";
import {
  deleteMappingRow,
  findMappingRow,
  insertMappingRow,
  listMappingRows,
  updateMappingRow,
} from "./evidence-mappings.repository.ts";

export async function listEvidenceMappings(deps: AppDeps, catalogId: string): Promise<EvidenceMapping[]> {
  await requireCatalog(deps.db, catalogId);
  return listMappingRows(deps.db, catalogId);
}

/** A rule maps to a control of its own catalog only. */
async function assertControlOfCatalog(deps: AppDeps, catalogId: string, controlId: string): Promise<void> {
  const control = await requireControl(deps.db, controlId).catch((error: unknown) => {
    if (error instanceof NotFoundError)
      throw new ValidationError([{ path: "body.controlId", message: "No such control" }]);
    throw error;
  });
  if (control.catalogId !== catalogId)
    throw new ValidationError([{ path: "body.controlId", message: "The control belongs to another catalog" }]);
}

async function requireMapping(deps: AppDeps, catalogId: string, mappingId: string): Promise<EvidenceMapping> {
  const mapping = await findMappingRow(deps.db, catalogId, mappingId);
  if (!mapping) throw new NotFoundError("evidence mapping", mappingId);
  return mapping;
}

export async function createEvidenceMapping(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  body: EvidenceMappingBody,
): Promise<EvidenceMapping> {
  await requireCatalog(deps.db, catalogId);
  assertTokenPermits(actor, "admin", { catalogId });
  await assertControlOfCatalog(deps, catalogId, body.controlId);
  return withTransaction(deps.db, async (tx) => {
    const id = await insertMappingRow(tx, catalogId, body);
    const after = (await findMappingRow(tx, catalogId, id))!;
    await recordAudit(tx, actor, { action: "create", resourceType: "evidence_mapping", resourceId: id, after });
    return after;
  });
}

export async function updateEvidenceMapping(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  mappingId: string,
  body: EvidenceMappingBody,
): Promise<EvidenceMapping> {
  const before = await requireMapping(deps, catalogId, mappingId);
  assertTokenPermits(actor, "admin", { catalogId });
  await assertControlOfCatalog(deps, catalogId, body.controlId);
  return withTransaction(deps.db, async (tx) => {
    await updateMappingRow(tx, mappingId, body);
    const after = (await findMappingRow(tx, catalogId, mappingId))!;
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "evidence_mapping",
      resourceId: mappingId,
      before,
      after,
    });
    return after;
  });
}

export async function deleteEvidenceMapping(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  mappingId: string,
): Promise<void> {
  const before = await requireMapping(deps, catalogId, mappingId);
  assertTokenPermits(actor, "admin", { catalogId });
  await withTransaction(deps.db, async (tx) => {
    await deleteMappingRow(tx, mappingId);
    await recordAudit(tx, actor, { action: "delete", resourceType: "evidence_mapping", resourceId: mappingId, before });
  });
}
