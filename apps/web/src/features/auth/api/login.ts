import { SessionResponseSchema, type LoginBody, type SessionResponse } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { authKeys } from "./auth-keys.ts";

export type LoginCredentials = Pick<LoginBody, "username" | "password">;

/** Signs in with a cookie session: the API sets httpOnly session cookies and the readable CSRF cookie. */
export async function login(credentials: LoginCredentials): Promise<SessionResponse> {
  const body: LoginBody = { ...credentials, session: "cookie" };
  // No skipSessionRefresh: the API authenticates any access cookie it is sent, even on login, so a stale cookie
  // answers token_expired and is refreshed (or cleared by the failed refresh) like on any other route.
  const response = await apiClient.post("/auth/login", body);
  return SessionResponseSchema.parse(response.data);
}

export function useLogin({ onSuccess }: { onSuccess?: (session: SessionResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.me(), session.user);
      onSuccess?.(session);
    },
  });
}
