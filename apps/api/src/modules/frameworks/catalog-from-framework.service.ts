import type {
  CatalogFromFrameworkBody,
  CatalogFromFrameworkResult,
  CreateControlBody,
  ProblemIssue,
  Requirement,
} from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { ValidationError } from "../../errors.ts";
import { createDraftCatalogIn, requireCatalog } from "../catalogs/index.ts";
import { createDraftControlsIn } from "../controls/index.ts";
import { listGroups, listRequirementsOfFramework } from "./frameworks.repository.ts";
import { requireFramework } from "./frameworks.service.ts";
import { upsertMapping } from "./mappings.repository.ts";
import { groupWithDescendants } from "./requirement-tree.ts";

const NAME_LIMIT = 100;
const DESCRIPTION_LIMIT = 2000;

/**
 * Starts a draft catalog from a framework: one draft control per picked requirement (named by its label and title,
 * described by its statement, mapped to it) with no mashup yet, all in one transaction.
 */
export async function createCatalogFromFramework(
  deps: AppDeps,
  actor: Actor,
  input: { frameworkId: string; body: CatalogFromFrameworkBody },
): Promise<CatalogFromFrameworkResult> {
  const { body } = input;
  const framework = await requireFramework(deps.db, input.frameworkId);
  const picked = await pickRequirements(deps, framework.id, body.selection);
  return withTransaction(deps.db, async (tx) => {
    const draft = await createDraftCatalogIn(tx, actor, {
      name: body.name,
      description: body.description,
      startDate: null,
      endDate: null,
      timeZone: body.timeZone,
      // Weeks start on Monday, the default of a catalog made by hand; the draft's form can change it.
      firstDayOfWeek: 1,
    });
    const controls = await createDraftControlsIn(tx, actor, {
      catalogId: draft.id,
      controls: picked.map((requirement) => controlFor(requirement, body)),
    });
    for (const [index, control] of controls.entries())
      await upsertMapping(tx, {
        controlId: control.id,
        requirementId: picked[index]!.id,
        relationship: body.relationship,
        rationale: `Started from ${framework.name} ${framework.version}`,
        createdBy: actor.userId,
      });
    const catalog = await requireCatalog(tx, draft.id);
    return { catalog, controlCount: controls.length, mappingCount: controls.length };
  });
}

async function pickRequirements(
  deps: AppDeps,
  frameworkId: string,
  selection: CatalogFromFrameworkBody["selection"],
): Promise<Requirement[]> {
  const [requirements, groups] = await Promise.all([
    listRequirementsOfFramework(deps.db, frameworkId),
    listGroups(deps.db, frameworkId),
  ]);
  const issues: ProblemIssue[] = [];
  const groupKeys = new Set<string>();
  selection.groupIds.forEach((groupId, index) => {
    if (!groups.some((group) => group.id === groupId))
      issues.push({ path: `body.selection.groupIds.${index}`, message: `The framework has no group ${groupId}` });
    else for (const key of groupWithDescendants(groups, groupId)) groupKeys.add(key);
  });
  const known = new Set(requirements.map((requirement) => requirement.id));
  selection.requirementIds.forEach((id, index) => {
    if (!known.has(id))
      issues.push({ path: `body.selection.requirementIds.${index}`, message: "Not a requirement of this framework" });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const singles = new Set(selection.requirementIds);
  return requirements.filter(
    (requirement) =>
      selection.all ||
      singles.has(requirement.id) ||
      (requirement.groupId !== null && groupKeys.has(requirement.groupId)),
  );
}

function controlFor(requirement: Requirement, body: CatalogFromFrameworkBody): CreateControlBody {
  return {
    name: truncate(`${requirement.label ?? requirement.key} ${requirement.title}`, NAME_LIMIT),
    description: truncate(requirement.statement || requirement.title, DESCRIPTION_LIMIT),
    period: body.period,
    startDate: null,
    endDate: null,
    mashupId: null,
    params: {},
    threshold: body.threshold,
    // Stale after one period, the default of a control made by hand.
    staleGraceMinutes: null,
  };
}

function truncate(text: string, limit: number): string {
  const trimmed = text.trim();
  return trimmed.length <= limit ? trimmed : `${trimmed.slice(0, limit - 1).trimEnd()}…`;
}
