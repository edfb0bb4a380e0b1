import type { ControlListQuery, ScopeSetListQuery } from "@status/shared";

/** Query keys of the controls feature; mutations invalidate through the same factory. */
export const controlKeys = {
  all: ["controls"] as const,
  catalogLists: (catalogId: string) => [...controlKeys.all, "catalog", catalogId] as const,
  catalogList: (catalogId: string, query: ControlListQuery) => [...controlKeys.catalogLists(catalogId), query] as const,
  states: (catalogId: string) => [...controlKeys.all, "states", catalogId] as const,
  details: () => [...controlKeys.all, "detail"] as const,
  detail: (controlId: string) => [...controlKeys.details(), controlId] as const,
  scopeSetLists: (controlId: string) => [...controlKeys.all, "scope-sets", controlId] as const,
  scopeSetList: (controlId: string, query: ScopeSetListQuery) =>
    [...controlKeys.scopeSetLists(controlId), query] as const,
};
