import type { ImportMappingsResult, ImportProblem } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { getControlsWithCatalogs } from "../controls/index.ts";
import { OscalInvalidError } from "./framework-reader.ts";
import { findRequirementIdsByKeys } from "./frameworks.repository.ts";
import { requireFramework } from "./frameworks.service.ts";
import { whereOf } from "./import.service.ts";
import { findMapping, listMappingsOfFramework, upsertMapping } from "./mappings.repository.ts";
import { buildMappingCollection, readMappingPairs, type MappingPair } from "./oscal/oscal-mapping-collection.ts";
import { isSupportedOscalVersion, validateOscal } from "./oscal/oscal-schema.ts";
import { pathProblem } from "./parsed-framework.ts";

/** A framework's mappings (optionally of one catalog's controls) as an OSCAL 1.2 mapping-collection. */
export async function exportMappings(
  deps: AppDeps,
  input: { frameworkId: string; catalogId: string | null },
): Promise<object> {
  const framework = await requireFramework(deps.db, input.frameworkId);
  const rows = await listMappingsOfFramework(deps.db, framework.id, input.catalogId);
  // A mapping-collection needs at least one map; with none there is nothing to export.
  if (rows.length === 0) throw new NotFoundError("mapping into this framework");
  return buildMappingCollection(framework, rows, deps.now());
}

/**
 * Imports an OSCAL 1.2 mapping-collection into a framework: every source control (STATUS control id) is mapped to
 * every target requirement (key) of each map. Nothing is stored when a control or requirement is unknown: the 422
 * lists each by JSON path. With `dryRun` the same checks run and the counts say what would change; nothing is stored.
 */
export async function importMappings(
  deps: AppDeps,
  actor: Actor,
  input: { frameworkId: string; document: Record<string, unknown>; dryRun: boolean },
): Promise<ImportMappingsResult> {
  const framework = await requireFramework(deps.db, input.frameworkId);
  assertMappingCollection(input.document);
  const { pairs, problems } = readMappingPairs(input.document["mapping-collection"] as never);
  const requirementIds = await findRequirementIdsByKeys(deps.db, framework.id, [
    ...new Set(pairs.map((pair) => pair.requirementKey)),
  ]);
  const controls = await getControlsWithCatalogs(deps.db, [...new Set(pairs.map((pair) => pair.controlId))]);
  problems.push(...unknownReferences(pairs, controls, requirementIds));
  if (problems.length > 0)
    throw new AppError(422, "import_invalid", "The mapping-collection has errors", `${problems.length} problems`, [
      ...problems.map((problem) => ({ path: whereOf(problem), message: problem.message })),
    ]);
  if (input.dryRun) {
    let created = 0;
    for (const pair of pairs) {
      if (!(await findMapping(deps.db, pair.controlId, requirementIds.get(pair.requirementKey)!))) created += 1;
    }
    return { dryRun: true, created, updated: pairs.length - created, problems: [] };
  }
  return withTransaction(deps.db, async (tx) => {
    let created = 0;
    for (const pair of pairs) {
      const requirementId = requirementIds.get(pair.requirementKey)!;
      const { isNew } = await upsertMapping(tx, { ...pair, requirementId, createdBy: actor.userId });
      if (isNew) created += 1;
      const mapping = (await findMapping(tx, pair.controlId, requirementId))!;
      await recordAudit(tx, actor, {
        action: isNew ? "create" : "update",
        resourceType: "control_requirement",
        resourceId: mapping.id,
        after: mapping,
      });
    }
    return { dryRun: false, created, updated: pairs.length - created, problems: [] };
  });
}

function assertMappingCollection(document: Record<string, unknown>): void {
  const root = document["mapping-collection"] as { metadata?: { "oscal-version"?: unknown } } | undefined;
  const declared = root?.metadata?.["oscal-version"];
  if (typeof declared === "string" && !isSupportedOscalVersion(declared))
    throw new AppError(
      422,
      "oscal_version_unsupported",
      "Unsupported OSCAL version",
      `The document declares OSCAL ${declared}; STATUS reads OSCAL 1.0.x to 1.2.x`,
    );
  const schemaProblems = validateOscal("mapping", document);
  if (schemaProblems.length > 0) throw new OscalInvalidError(schemaProblems);
}

function unknownReferences(
  pairs: MappingPair[],
  controls: Map<string, unknown>,
  requirementIds: Map<string, string>,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const reported = new Set<string>();
  for (const pair of pairs) {
    const missing = [
      controls.has(pair.controlId) ? null : `No STATUS control ${pair.controlId}`,
      requirementIds.has(pair.requirementKey) ? null : `The framework has no requirement ${pair.requirementKey}`,
    ].filter((message): message is string => message !== null && !reported.has(`${pair.path}:${message}`));
    for (const message of missing) {
      reported.add(`${pair.path}:${message}`);
      problems.push(pathProblem("unknown_id", message, pair.path));
    }
  }
  return problems;
}
