import type { ComplianceQuery, FrameworkCompliance } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { countPointResults } from "../points/index.ts";
import { countByGroup, countStatuses, rollUpRequirements } from "./compliance-rollup.ts";
import { listGroups, listRequirementsOfFramework } from "./frameworks.repository.ts";
import { requireFramework } from "./frameworks.service.ts";
import { listMappingsOfFramework } from "./mappings.repository.ts";

/**
 * A framework's compliance over [from, to): each requirement's status from the points of the controls mapped to it
 * (windows starting in the period, every scope), counted per group and overall. With `catalogId` only that catalog's
 * controls count; without, every catalog's do, so one control mapped to two frameworks counts in both.
 */
export async function getFrameworkCompliance(
  deps: AppDeps,
  input: { frameworkId: string; query: ComplianceQuery },
): Promise<FrameworkCompliance> {
  const { frameworkId, query } = input;
  const catalogId = query.catalogId ?? null;
  await requireFramework(deps.db, frameworkId);
  const [requirements, groups, mappings] = await Promise.all([
    listRequirementsOfFramework(deps.db, frameworkId),
    listGroups(deps.db, frameworkId),
    listMappingsOfFramework(deps.db, frameworkId, catalogId),
  ]);
  const controlIds = [...new Set(mappings.map((mapping) => mapping.controlId))];
  const results = await countPointResults(deps, { controlIds, from: query.from, to: query.to });
  const rolledUp = rollUpRequirements(requirements, mappings, results);
  return {
    frameworkId,
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    catalogId,
    overall: countStatuses(rolledUp),
    groups: countByGroup(groups, rolledUp),
    requirements: rolledUp,
  };
}
