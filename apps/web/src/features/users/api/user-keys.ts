import type { UserListQuery } from "@status/shared";

/** Query keys of the users feature; mutations invalidate through the same factory. */
export const userKeys = {
  all: ["users"] as const,
  lists: () => [...userKeys.all, "list"] as const,
  list: (query: UserListQuery) => [...userKeys.lists(), query] as const,
};
