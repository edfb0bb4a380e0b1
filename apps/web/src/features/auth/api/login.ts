import { LoginResponseSchema, type LoginBody, type LoginResponse } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { authKeys } from "./auth-keys.ts";

export type LoginCredentials = Pick<LoginBody, "username" | "password">;

/**
 * Signs in with a cookie session: the API sets httpOnly session cookies and the readable CSRF cookie, or answers a
 * challenge when a second factor is due (no cookies yet).
 */
export async function login(credentials: LoginCredentials): Promise<LoginResponse> {
  const body: LoginBody = { ...credentials, session: "cookie" };
  // No skipSessionRefresh: the API authenticates any access cookie it is sent, even on login, so a stale cookie
  // answers token_expired and is refreshed (or cleared by the failed refresh) like on any other route.
  const response = await apiClient.post("/auth/login", body);
  return LoginResponseSchema.parse(response.data);
}

export function useLogin({ onSuccess }: { onSuccess?: (outcome: LoginResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (outcome) => {
      if ("user" in outcome) queryClient.setQueryData(authKeys.me(), outcome.user);
      onSuccess?.(outcome);
    },
  });
}
