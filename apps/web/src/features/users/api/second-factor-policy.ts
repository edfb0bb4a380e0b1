import { SecondFactorPolicySchema, type SecondFactorPolicy, type UpdateSecondFactorPolicyBody } from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

const policyKey = ["users", "second-factor-policy"] as const;

/** ADMIN: which roles must sign in with a second factor. */
export async function getSecondFactorPolicy(signal?: AbortSignal): Promise<SecondFactorPolicy> {
  const response = await apiClient.get("/second-factor-policy", { signal });
  return SecondFactorPolicySchema.parse(response.data);
}

export function getSecondFactorPolicyQueryOptions() {
  return queryOptions({ queryKey: policyKey, queryFn: ({ signal }) => getSecondFactorPolicy(signal) });
}

export function useSecondFactorPolicy() {
  return useQuery(getSecondFactorPolicyQueryOptions());
}

export async function updateSecondFactorPolicy(body: UpdateSecondFactorPolicyBody): Promise<SecondFactorPolicy> {
  const response = await apiClient.put("/second-factor-policy", body);
  return SecondFactorPolicySchema.parse(response.data);
}

export function useUpdateSecondFactorPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSecondFactorPolicy,
    onSuccess: (policy) => queryClient.setQueryData(policyKey, policy),
  });
}

/** ADMIN: removes a user's second factor (a lost phone); they sign in with the password, or enrol if required. */
export async function resetSecondFactor(userId: string): Promise<void> {
  await apiClient.delete(`/users/${encodeURIComponent(userId)}/second-factor`);
}

export function useResetSecondFactor() {
  return useMutation({ mutationFn: resetSecondFactor });
}
