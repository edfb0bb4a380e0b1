import {
  RecoveryCodesSchema,
  SecondFactorStatusSchema,
  TotpEnrolmentSchema,
  type RecoveryCodes,
  type SecondFactorStatus,
  type TotpEnrolment,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { profileKeys } from "./profile-keys.ts";

/** Whether the signed-in user has a second factor, how many recovery codes are left, and if their role requires one. */
export async function getSecondFactorStatus(signal?: AbortSignal): Promise<SecondFactorStatus> {
  const response = await apiClient.get("/auth/second-factor", { signal });
  return SecondFactorStatusSchema.parse(response.data);
}

export function getSecondFactorStatusQueryOptions() {
  return queryOptions({ queryKey: profileKeys.secondFactor(), queryFn: ({ signal }) => getSecondFactorStatus(signal) });
}

export function useSecondFactorStatus() {
  return useQuery(getSecondFactorStatusQueryOptions());
}

/** A new secret to scan; it counts only once a code from it is confirmed. */
export async function startTotpEnrolment(): Promise<TotpEnrolment> {
  const response = await apiClient.post("/auth/second-factor/totp");
  return TotpEnrolmentSchema.parse(response.data);
}

export function useStartTotpEnrolment() {
  return useMutation({ mutationFn: startTotpEnrolment });
}

/** Confirms the enrolment with a code; answers the recovery codes, shown once. */
export async function confirmTotp(body: { code: string }): Promise<RecoveryCodes> {
  const response = await apiClient.post("/auth/second-factor/totp/confirm", body);
  return RecoveryCodesSchema.parse(response.data);
}

/** Replaces the recovery codes after a current code; answers the new ones, shown once. */
export async function renewRecoveryCodes(body: { code: string }): Promise<RecoveryCodes> {
  const response = await apiClient.post("/auth/second-factor/recovery-codes", body);
  return RecoveryCodesSchema.parse(response.data);
}

/** Turns the second factor off with a current code (refused while the role requires one). */
export async function disableTotp(body: { code: string }): Promise<void> {
  await apiClient.delete("/auth/second-factor/totp", { data: body });
}

/** A second-factor change; the status is refetched after it. */
export function useSecondFactorChange<TData>(mutationFn: (body: { code: string }) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: profileKeys.secondFactor() });
    },
  });
}
