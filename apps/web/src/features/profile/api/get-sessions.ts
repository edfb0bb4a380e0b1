import { UserSessionListSchema, type UserSessionList } from "@status/shared";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { profileKeys } from "./profile-keys.ts";

/** The signed-in user's open sessions, most recently used first. */
export async function getSessions(signal?: AbortSignal): Promise<UserSessionList> {
  const response = await apiClient.get("/auth/sessions", { signal });
  return UserSessionListSchema.parse(response.data);
}

export function getSessionsQueryOptions() {
  return queryOptions({ queryKey: profileKeys.sessions(), queryFn: ({ signal }) => getSessions(signal) });
}

export function useSessions() {
  return useQuery(getSessionsQueryOptions());
}
