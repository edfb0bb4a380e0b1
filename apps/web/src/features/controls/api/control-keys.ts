import type { ControlListQuery } from "@status/shared";

/** Query keys of the controls feature; mutations invalidate through the same factory. */
export const controlKeys = {
  all: ["controls"] as const,
  catalogLists: (catalogId: string) => [...controlKeys.all, "catalog", catalogId] as const,
  catalogList: (catalogId: string, query: ControlListQuery) => [...controlKeys.catalogLists(catalogId), query] as const,
};
