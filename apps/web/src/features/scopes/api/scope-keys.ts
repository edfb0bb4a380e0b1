import type { ScopeListQuery } from "@status/shared";

/** Query keys of the scopes feature; mutations invalidate through the same factory. */
export const scopeKeys = {
  all: ["scopes"] as const,
  lists: () => [...scopeKeys.all, "list"] as const,
  list: (query: ScopeListQuery) => [...scopeKeys.lists(), query] as const,
};
