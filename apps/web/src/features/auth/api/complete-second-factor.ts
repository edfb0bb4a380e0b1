import {
  SecondFactorSessionResponseSchema,
  TotpEnrolmentSchema,
  type CompleteSecondFactorBody,
  type SecondFactorSessionResponse,
  type TotpEnrolment,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { authKeys } from "./auth-keys.ts";

/** The second step of sign-in with a cookie session: the code for the pending login the first step answered. */
export async function completeSecondFactor(
  input: Pick<CompleteSecondFactorBody, "pendingToken" | "code">,
): Promise<SecondFactorSessionResponse> {
  const body = { ...input, session: "cookie" };
  const response = await apiClient.post("/auth/login/second-factor", body);
  return SecondFactorSessionResponseSchema.parse(response.data);
}

export function useCompleteSecondFactor({
  onSuccess,
}: { onSuccess?: (session: SecondFactorSessionResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: completeSecondFactor,
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.me(), session.user);
      onSuccess?.(session);
    },
  });
}

/** The enrolment a pending login needs when the user's role requires a second factor they have not set up. */
export async function getLoginEnrolment(pendingToken: string): Promise<TotpEnrolment> {
  const response = await apiClient.post("/auth/login/second-factor/enrolment", { pendingToken });
  return TotpEnrolmentSchema.parse(response.data);
}

export function getLoginEnrolmentQueryOptions(pendingToken: string) {
  // Each call makes a new secret, so it is asked for once per pending login and never refetched.
  return queryOptions({
    queryKey: [...authKeys.all, "login-enrolment", pendingToken] as const,
    queryFn: () => getLoginEnrolment(pendingToken),
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export function useLoginEnrolment(pendingToken: string) {
  return useQuery(getLoginEnrolmentQueryOptions(pendingToken));
}
