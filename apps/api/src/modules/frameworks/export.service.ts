import type { AppDeps } from "../../deps.ts";
import { findFrameworkMetadata, listParsedGroups, listParsedRequirements } from "./frameworks.repository.ts";
import { requireFramework } from "./frameworks.service.ts";
import { buildOscalCatalog } from "./oscal/oscal-catalog-writer.ts";

/** A framework as an OSCAL 1.2.1 catalog (`{ catalog }`); importing it again gives the same requirements. */
export async function exportFrameworkCatalog(deps: AppDeps, frameworkId: string): Promise<object> {
  const framework = await requireFramework(deps.db, frameworkId);
  const [stored, groups, requirements] = await Promise.all([
    findFrameworkMetadata(deps.db, frameworkId),
    listParsedGroups(deps.db, frameworkId),
    listParsedRequirements(deps.db, frameworkId),
  ]);
  return buildOscalCatalog({
    framework,
    metadata: stored?.metadata ?? null,
    sourceUuid: stored?.sourceUuid ?? null,
    groups,
    requirements,
  });
}
