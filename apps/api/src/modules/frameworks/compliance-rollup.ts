import type {
  FrameworkGroup,
  Requirement,
  RequirementCompliance,
  RequirementStatus,
  StatusCounts,
} from "@status/shared";
import { groupWithDescendants } from "./requirement-tree.ts";
import type { FrameworkMappingRow } from "./mappings.repository.ts";

type MappedControl = RequirementCompliance["controls"][number];
export type ResultCounts = Map<string, { passCount: number; failCount: number }>;

/** A mapped control over the period: any failing point fails it; passing points alone pass it; none, not evaluated. */
function controlStatus(counts: { passCount: number; failCount: number } | undefined): MappedControl["status"] {
  if (!counts) return "not-evaluated";
  if (counts.failCount > 0) return "fail";
  return counts.passCount > 0 ? "pass" : "not-evaluated";
}

/** Satisfied when every mapped control passed, not satisfied when one failed, not assessed otherwise (or unmapped). */
export function requirementStatus(controls: readonly MappedControl[]): RequirementStatus {
  if (controls.some((control) => control.status === "fail")) return "not-satisfied";
  if (controls.length > 0 && controls.every((control) => control.status === "pass")) return "satisfied";
  return "not-assessed";
}

/** Each requirement's status with the controls behind it, in framework order. */
export function rollUpRequirements(
  requirements: readonly Requirement[],
  mappings: readonly FrameworkMappingRow[],
  results: ResultCounts,
): RequirementCompliance[] {
  const controlsOf = new Map<string, MappedControl[]>();
  for (const mapping of mappings) {
    const counts = results.get(mapping.controlId);
    const control: MappedControl = {
      controlId: mapping.controlId,
      name: mapping.controlName,
      catalogId: mapping.catalogId,
      relationship: mapping.relationship,
      status: controlStatus(counts),
      passCount: counts?.passCount ?? 0,
      failCount: counts?.failCount ?? 0,
    };
    controlsOf.set(mapping.requirementId, [...(controlsOf.get(mapping.requirementId) ?? []), control]);
  }
  return requirements.map((requirement) => {
    const controls = controlsOf.get(requirement.id) ?? [];
    return {
      requirementId: requirement.id,
      key: requirement.key,
      label: requirement.label,
      title: requirement.title,
      groupId: requirement.groupId,
      parentKey: requirement.parentKey,
      status: requirementStatus(controls),
      controls,
    };
  });
}

export function countStatuses(requirements: readonly RequirementCompliance[]): StatusCounts {
  const counts: StatusCounts = { total: 0, satisfied: 0, notSatisfied: 0, notAssessed: 0, mapped: 0 };
  for (const requirement of requirements) {
    counts.total += 1;
    if (requirement.controls.length > 0) counts.mapped += 1;
    if (requirement.status === "satisfied") counts.satisfied += 1;
    else if (requirement.status === "not-satisfied") counts.notSatisfied += 1;
    else counts.notAssessed += 1;
  }
  return counts;
}

/** Counts per group; a group counts the requirements of the groups nested in it too. */
export function countByGroup(
  groups: readonly FrameworkGroup[],
  requirements: readonly RequirementCompliance[],
): { groupId: string; title: string; counts: StatusCounts }[] {
  return groups.map((group) => {
    const keys = groupWithDescendants([...groups], group.id);
    const members = requirements.filter((requirement) => requirement.groupId !== null && keys.has(requirement.groupId));
    return { groupId: group.id, title: group.title, counts: countStatuses(members) };
  });
}
