import { ApiTokenListQuerySchema, type ApiTokenListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseTokenListQuery } from "../api/get-tokens.ts";

/** Whether revoked tokens show, and the page, kept in the URL query string. */
export function useTokenListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseTokenListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<ApiTokenListQuery>) =>
      setSearchParams((current) => mergeSearchParams(ApiTokenListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
