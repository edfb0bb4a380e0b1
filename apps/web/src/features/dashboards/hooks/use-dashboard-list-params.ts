import { DashboardListQuerySchema, type DashboardListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseDashboardListQuery } from "../api/get-dashboards.ts";

/** Search, folder filter and page of the dashboards list, kept in the URL query string. */
export function useDashboardListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseDashboardListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<DashboardListQuery>) =>
      setSearchParams((current) => mergeSearchParams(DashboardListQuerySchema, current, changes), {
        replace: !("page" in changes),
      }),
    [setSearchParams],
  );
  return { query, update };
}
