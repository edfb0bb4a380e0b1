import type { MashupListQuery } from "@status/shared";

/** Query keys of the mashups feature. */
export const mashupKeys = {
  all: ["mashups"] as const,
  lists: () => [...mashupKeys.all, "list"] as const,
  list: (query: MashupListQuery) => [...mashupKeys.lists(), query] as const,
  limits: (mashupId: string) => [...mashupKeys.all, "limits", mashupId] as const,
};
