import type { CatalogListQuery } from "@status/shared";

/** Query keys of the catalogs feature; mutations invalidate through the same factory. */
export const catalogKeys = {
  all: ["catalogs"] as const,
  lists: () => [...catalogKeys.all, "list"] as const,
  list: (query: CatalogListQuery) => [...catalogKeys.lists(), query] as const,
  details: () => [...catalogKeys.all, "detail"] as const,
  detail: (catalogId: string) => [...catalogKeys.details(), catalogId] as const,
};
