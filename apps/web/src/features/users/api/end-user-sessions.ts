import { EndedSessionsSchema, type EndedSessions } from "@status/shared";
import { useMutation } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

/** ADMIN only: signs a user out everywhere (their API tokens keep working); answers how many sessions were open. */
export async function endUserSessions(userId: string): Promise<EndedSessions> {
  const response = await apiClient.delete(`/users/${encodeURIComponent(userId)}/sessions`);
  return EndedSessionsSchema.parse(response.data);
}

export function useEndUserSessions() {
  return useMutation({ mutationFn: endUserSessions });
}
