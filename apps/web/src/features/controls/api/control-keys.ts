import type { ControlListQuery, Period, ScopeSetListQuery } from "@status/shared";

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
  /** Everything about a control's versions: its history and the preview of the next one. */
  versions: (controlId: string) => [...controlKeys.all, "versions", controlId] as const,
  versionList: (controlId: string) => [...controlKeys.versions(controlId), "list"] as const,
  nextVersion: (controlId: string, period: Period | undefined) =>
    [...controlKeys.versions(controlId), "next", period ?? null] as const,
};
