import type { ComplianceQuery, FrameworkListQuery, RequirementListQuery, RequirementSearchQuery } from "@status/shared";

/** Query keys of the frameworks feature; mutations invalidate through the same factory. */
export const frameworkKeys = {
  all: ["frameworks"] as const,
  lists: () => [...frameworkKeys.all, "list"] as const,
  list: (query: FrameworkListQuery) => [...frameworkKeys.lists(), query] as const,
  library: () => [...frameworkKeys.all, "library"] as const,
  details: () => [...frameworkKeys.all, "detail"] as const,
  detail: (frameworkId: string) => [...frameworkKeys.details(), frameworkId] as const,
  requirements: (frameworkId: string, query: RequirementListQuery) =>
    [...frameworkKeys.detail(frameworkId), "requirements", query] as const,
  compliance: (frameworkId: string, query: ComplianceQuery) =>
    [...frameworkKeys.detail(frameworkId), "compliance", query] as const,
  searches: () => [...frameworkKeys.all, "search"] as const,
  search: (query: RequirementSearchQuery) => [...frameworkKeys.searches(), query] as const,
  /** Mappings live under the control, but a mapping change moves every roll-up, so they share the root key. */
  controlMappings: (controlId: string) => [...frameworkKeys.all, "control", controlId] as const,
};
