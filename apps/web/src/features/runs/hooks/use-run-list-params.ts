import { RunListQuerySchema, type RunListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseRunListQuery } from "../api/get-runs.ts";

/** Filters (status, trigger, control) and page of the runs list, kept in the URL query string. */
export function useRunListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseRunListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<RunListQuery>) =>
      setSearchParams((current) => mergeSearchParams(RunListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
