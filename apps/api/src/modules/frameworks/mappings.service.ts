import type { ControlRequirementMapping, CreateMappingBody } from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { requireControl } from "../controls/index.ts";
import { findRequirementsByIds } from "./frameworks.repository.ts";
import {
  deleteMappingRow,
  findMapping,
  listMappingsOfCatalog,
  listMappingsOfControl,
  upsertMapping,
} from "./mappings.repository.ts";

/** The requirements a control is mapped to, across frameworks. */
export async function listControlMappings(deps: AppDeps, controlId: string): Promise<ControlRequirementMapping[]> {
  await requireControl(deps.db, controlId);
  return listMappingsOfControl(deps.db, controlId);
}

/** The requirements every control of a catalog is mapped to (for the auditors' exports). */
export async function listCatalogMappings(
  deps: { db: Queryable },
  catalogId: string,
): Promise<ControlRequirementMapping[]> {
  return listMappingsOfCatalog(deps.db, catalogId);
}

/**
 * Maps a control to a requirement of any framework; the same pair again replaces the relationship and rationale.
 * A mapping decides no result, so finalized controls are mapped freely (every change is audited).
 */
export async function mapControl(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; body: CreateMappingBody },
): Promise<{ mapping: ControlRequirementMapping; isNew: boolean }> {
  return withTransaction(deps.db, async (tx) => {
    await requireControl(tx, input.controlId);
    const [requirement] = await findRequirementsByIds(tx, [input.body.requirementId]);
    if (!requirement) throw new NotFoundError("requirement", input.body.requirementId);
    const before = await findMapping(tx, input.controlId, requirement.id);
    const { isNew } = await upsertMapping(tx, {
      controlId: input.controlId,
      requirementId: requirement.id,
      relationship: input.body.relationship,
      rationale: input.body.rationale,
      createdBy: actor.userId,
    });
    const mapping = (await findMapping(tx, input.controlId, requirement.id))!;
    await recordAudit(tx, actor, {
      action: isNew ? "create" : "update",
      resourceType: "control_requirement",
      resourceId: mapping.id,
      before: before ?? null,
      after: mapping,
    });
    return { mapping, isNew };
  });
}

/** Removes a control's mapping to a requirement (audited); 404 when there is none. */
export async function unmapControl(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; requirementId: string },
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const mapping = await findMapping(tx, input.controlId, input.requirementId);
    if (!mapping) throw new NotFoundError("mapping of this control to requirement", input.requirementId);
    await deleteMappingRow(tx, input.controlId, input.requirementId);
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "control_requirement",
      resourceId: mapping.id,
      before: mapping,
    });
  });
}
