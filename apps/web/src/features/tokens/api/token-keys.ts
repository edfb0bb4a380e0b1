import type { ApiTokenListQuery } from "@status/shared";

/** Query keys of the API tokens feature; mutations invalidate through the same factory. */
export const tokenKeys = {
  all: ["tokens"] as const,
  lists: () => [...tokenKeys.all, "list"] as const,
  list: (query: ApiTokenListQuery) => [...tokenKeys.lists(), query] as const,
  limitOptions: () => [...tokenKeys.all, "limit-options"] as const,
};
