import type { RunListQuery } from "@status/shared";

/** Query keys of the runs feature; mutations invalidate through the same factory. */
export const runKeys = {
  all: ["runs"] as const,
  lists: () => [...runKeys.all, "list"] as const,
  list: (query: RunListQuery) => [...runKeys.lists(), query] as const,
  batches: () => [...runKeys.all, "batch"] as const,
  batch: (batchId: string) => [...runKeys.batches(), batchId] as const,
};
