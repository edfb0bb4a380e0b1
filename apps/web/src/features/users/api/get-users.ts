import { UserListQuerySchema, UserPageSchema, type UserListQuery } from "@status/shared";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { parseSearchParams, toRequestParams } from "@/lib/search-params.ts";
import { userKeys } from "./user-keys.ts";

export type UserPage = z.infer<typeof UserPageSchema>;

/** The list query the URL describes; unknown or invalid values fall back to the API's defaults. */
export function parseUserListQuery(searchParams: URLSearchParams): UserListQuery {
  return parseSearchParams(UserListQuerySchema, searchParams);
}

/** ADMIN only; others get 403 `forbidden`. */
export async function getUsers(query: UserListQuery, signal?: AbortSignal): Promise<UserPage> {
  const response = await apiClient.get("/users", { params: toRequestParams(query), signal });
  return UserPageSchema.parse(response.data);
}

export function getUsersQueryOptions(query: UserListQuery) {
  return queryOptions({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => getUsers(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUsers(query: UserListQuery) {
  return useQuery(getUsersQueryOptions(query));
}
