import type {
  Framework,
  FrameworkDetail,
  FrameworkListQuery,
  Page,
  Requirement,
  RequirementListQuery,
  RequirementSearchQuery,
  RequirementTreePage,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import {
  findFramework,
  findRequirementsByIds,
  listFrameworks,
  listGroups,
  listRequirementsOfFramework,
  searchRequirements,
  type RequirementSearchRow,
} from "./frameworks.repository.ts";
import { groupWithDescendants, requirementTreePage } from "./requirement-tree.ts";

export async function listAllFrameworks(deps: AppDeps, query: FrameworkListQuery): Promise<Page<Framework>> {
  return listFrameworks(deps.db, query);
}

/** Loads a framework or throws 404. */
export async function requireFramework(db: Queryable, id: string): Promise<Framework> {
  const framework = await findFramework(db, id);
  if (!framework) throw new NotFoundError("framework", id);
  return framework;
}

/** A framework with its groups. */
export async function getFramework(deps: AppDeps, id: string): Promise<FrameworkDetail> {
  const framework = await requireFramework(deps.db, id);
  return { ...framework, groups: await listGroups(deps.db, id) };
}

/**
 * A page of the requirement tree. The whole framework is read and the tree built in memory: frameworks hold a few
 * thousand requirements at most, and a match deep in the tree must still bring its ancestors along.
 */
export async function listRequirementTree(
  deps: AppDeps,
  frameworkId: string,
  query: RequirementListQuery,
): Promise<RequirementTreePage> {
  await requireFramework(deps.db, frameworkId);
  const [requirements, groups] = await Promise.all([
    listRequirementsOfFramework(deps.db, frameworkId),
    query.group ? listGroups(deps.db, frameworkId) : Promise.resolve([]),
  ]);
  const groupKeys = query.group ? groupWithDescendants(groups, query.group) : null;
  return requirementTreePage(requirements, query, groupKeys);
}

/** Requirements across frameworks by key, label, title or statement (the mapping picker). */
export async function searchAllRequirements(
  deps: AppDeps,
  query: RequirementSearchQuery,
): Promise<Page<RequirementSearchRow>> {
  return searchRequirements(deps.db, query);
}

/** Requirements by id; ids that do not exist are simply absent. */
export async function getRequirementsByIds(db: Queryable, ids: readonly string[]): Promise<Requirement[]> {
  return findRequirementsByIds(db, ids);
}
