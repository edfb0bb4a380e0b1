import { RunListQuerySchema, RunPageSchema, TERMINAL_RUN_STATUSES, type RunListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { runKeys } from "./run-keys.ts";

export type RunPage = z.infer<typeof RunPageSchema>;

/** While a listed run is queued or running, the list is asked for again this often. */
const ACTIVE_REFRESH_MS = 5_000;

export function parseRunListQuery(searchParams: URLSearchParams): RunListQuery {
  return parseSearchParams(RunListQuerySchema, searchParams);
}

/** A full query from the parts that matter, with the list defaults for the rest. */
export function runListQuery(changes: Partial<RunListQuery>): RunListQuery {
  return { ...parseRunListQuery(new URLSearchParams()), ...changes };
}

export async function getRuns(query: RunListQuery, signal?: AbortSignal): Promise<RunPage> {
  const response = await apiClient.get("/runs", { params: toRequestParams(query), signal });
  return RunPageSchema.parse(response.data);
}

export function getRunsQueryOptions(query: RunListQuery) {
  return queryOptions({
    queryKey: runKeys.list(query),
    queryFn: ({ signal }) => getRuns(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.items.some((run) => !TERMINAL_RUN_STATUSES.includes(run.status)) ? ACTIVE_REFRESH_MS : false,
  });
}

export function useRuns(query: RunListQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getRunsQueryOptions(query), enabled });
}
