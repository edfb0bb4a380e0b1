import type { Requirement, RequirementListQuery, RequirementNode, RequirementTreePage } from "@status/shared";

/**
 * Builds the tree of a framework's requirements (given in framework order) and pages over its top-level nodes.
 * With `search` or `group`, a node is kept when it matches or holds a match, so a match is always shown in place.
 */
export function requirementTreePage(
  requirements: Requirement[],
  query: RequirementListQuery,
  groupKeys: Set<string> | null,
): RequirementTreePage {
  const term = query.search?.toLowerCase() || null;
  const isFiltered = term !== null || groupKeys !== null;
  const matches = (requirement: Requirement) =>
    (groupKeys === null || (requirement.groupId !== null && groupKeys.has(requirement.groupId))) &&
    (term === null || searchableText(requirement).includes(term));
  const nodes = new Map<string, RequirementNode>();
  const roots: RequirementNode[] = [];
  let matchCount = 0;
  for (const requirement of requirements) {
    const isMatch = !isFiltered || matches(requirement);
    if (isMatch) matchCount += 1;
    const node: RequirementNode = { ...requirement, isMatch, children: [] };
    nodes.set(requirement.key, node);
    const parent = requirement.parentKey ? nodes.get(requirement.parentKey) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const kept = isFiltered ? roots.map(prune).filter((node): node is RequirementNode => node !== null) : roots;
  const start = (query.page - 1) * query.pageSize;
  return {
    items: kept.slice(start, start + query.pageSize),
    total: kept.length,
    page: query.page,
    pageSize: query.pageSize,
    matchCount,
  };
}

function searchableText(requirement: Requirement): string {
  return [requirement.key, requirement.label ?? "", requirement.title, requirement.statement].join("\n").toLowerCase();
}

function prune(node: RequirementNode): RequirementNode | null {
  const children = node.children.map(prune).filter((child): child is RequirementNode => child !== null);
  if (!node.isMatch && children.length === 0) return null;
  return { ...node, children };
}

/** A group and every group nested in it, by key. */
export function groupWithDescendants(groups: { id: string; parentId: string | null }[], key: string): Set<string> {
  const keys = new Set([key]);
  let isGrowing = true;
  while (isGrowing) {
    isGrowing = false;
    for (const group of groups)
      if (group.parentId !== null && keys.has(group.parentId) && !keys.has(group.id)) {
        keys.add(group.id);
        isGrowing = true;
      }
  }
  return keys;
}
