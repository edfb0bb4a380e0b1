import { PasswordResetSchema, type PasswordReset, type ResetPasswordBody } from "@status/shared";
import { useMutation } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

/**
 * ADMIN only: sets another user's password (or a generated temporary one, answered once); their sessions end and they
 * must choose their own at their next sign-in.
 */
export async function resetUserPassword({
  userId,
  body,
}: {
  userId: string;
  body: ResetPasswordBody;
}): Promise<PasswordReset> {
  const response = await apiClient.post(`/users/${encodeURIComponent(userId)}/password`, body);
  return PasswordResetSchema.parse(response.data);
}

export function useResetUserPassword() {
  return useMutation({ mutationFn: resetUserPassword });
}
