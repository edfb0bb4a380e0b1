import type { ComputationListQuery } from "@status/shared";

/** Query keys of the computations feature. */
export const computationKeys = {
  all: ["computations"] as const,
  controlLists: (controlId: string) => [...computationKeys.all, "control", controlId] as const,
  controlList: (controlId: string, query: ComputationListQuery) =>
    [...computationKeys.controlLists(controlId), query] as const,
  details: () => [...computationKeys.all, "detail"] as const,
  detail: (computationId: string) => [...computationKeys.details(), computationId] as const,
  scopes: (controlId: string) => [...computationKeys.controlLists(controlId), "scopes"] as const,
  declaration: (mashupId: string) => [...computationKeys.all, "declaration", mashupId] as const,
};
