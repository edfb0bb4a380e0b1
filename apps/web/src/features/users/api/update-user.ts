import { UserSchema, type UpdateUserBody, type User } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { userKeys } from "./user-keys.ts";

/** ADMIN only; 409 `last_admin` when it would leave no active administrator. */
export async function updateUser({ userId, body }: { userId: string; body: UpdateUserBody }): Promise<User> {
  const response = await apiClient.patch(`/users/${encodeURIComponent(userId)}`, body);
  return UserSchema.parse(response.data);
}

export function useUpdateUser({ onSuccess }: { onSuccess?: (user: User) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: userKeys.lists() });
      onSuccess?.(user);
    },
  });
}
