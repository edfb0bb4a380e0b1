import type { FrameworkGroup, Requirement, RequirementNode } from "@status/shared";

/** What becomes draft controls: a whole framework, whole groups, or single requirements (by id). */
export interface RequirementPick {
  mode: "all" | "groups" | "requirements";
  groupIds: readonly string[];
  /** Single picks, kept whole so the preview can show them even beyond the loaded page of the tree. */
  requirements: readonly Pick<Requirement, "id" | "key" | "label" | "title" | "statement" | "groupId">[];
}

export const EMPTY_PICK: RequirementPick = { mode: "all", groupIds: [], requirements: [] };

/** The body's `selection` for a pick. */
export function toSelection(pick: RequirementPick) {
  if (pick.mode === "all") return { all: true, groupIds: [], requirementIds: [] };
  if (pick.mode === "groups") return { all: false, groupIds: [...pick.groupIds], requirementIds: [] };
  return { all: false, groupIds: [], requirementIds: pick.requirements.map((requirement) => requirement.id) };
}

export function isPickEmpty(pick: RequirementPick): boolean {
  if (pick.mode === "groups") return pick.groupIds.length === 0;
  return pick.mode === "requirements" && pick.requirements.length === 0;
}

/** Requirements in tree order, each followed by its children. */
export function flattenTree(nodes: readonly RequirementNode[]): RequirementNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
}

/** The picked groups and every group nested in them (a group filter includes its subgroups). */
export function withSubgroups(groups: readonly FrameworkGroup[], groupIds: readonly string[]): Set<string> {
  const picked = new Set(groupIds);
  let isGrowing = true;
  while (isGrowing) {
    isGrowing = false;
    for (const group of groups) {
      if (group.parentId !== null && picked.has(group.parentId) && !picked.has(group.id)) {
        picked.add(group.id);
        isGrowing = true;
      }
    }
  }
  return picked;
}

/** How many requirements the picked groups hold, without counting a subgroup inside a picked group twice. */
export function countInGroups(groups: readonly FrameworkGroup[], groupIds: readonly string[]): number {
  const picked = new Set(groupIds);
  const parentOf = new Map(groups.map((group) => [group.id, group.parentId]));
  const hasPickedAncestor = (groupId: string): boolean => {
    const parentId = parentOf.get(groupId);
    return parentId != null && (picked.has(parentId) || hasPickedAncestor(parentId));
  };
  return groups
    .filter((group) => picked.has(group.id) && !hasPickedAncestor(group.id))
    .reduce((sum, group) => sum + group.requirementCount, 0);
}
