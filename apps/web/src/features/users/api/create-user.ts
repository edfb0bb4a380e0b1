import { UserSchema, type CreateUserBody, type User } from "@status/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { userKeys } from "./user-keys.ts";

/** ADMIN only; 409 when the username or e-mail is taken. */
export async function createUser(body: CreateUserBody): Promise<User> {
  const response = await apiClient.post("/users", body);
  return UserSchema.parse(response.data);
}

export function useCreateUser({ onSuccess }: { onSuccess?: (user: User) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: userKeys.lists() });
      onSuccess?.(user);
    },
  });
}
