import { UserListQuerySchema, type UserListQuery } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { mergeSearchParams } from "@/lib/search-params.ts";
import { parseUserListQuery } from "../api/get-users.ts";

/** Search, role filter, sort and page of the users list, kept in the URL query string. */
export function useUserListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseUserListQuery(searchParams), [searchParams]);
  const update = useCallback(
    (changes: Partial<UserListQuery>) =>
      setSearchParams((current) => mergeSearchParams(UserListQuerySchema, current, changes), {
        replace: !("page" in changes),
        flushSync: true,
      }),
    [setSearchParams],
  );
  return { query, update };
}
