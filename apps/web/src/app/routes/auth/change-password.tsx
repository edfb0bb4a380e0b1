import type { QueryClient } from "@tanstack/react-query";
import { useQueryClient } from "@tanstack/react-query";
import { redirect, useNavigate } from "react-router";
import { Button } from "@/components/ui/button.tsx";
import { getMeQueryOptions } from "@/features/auth/api/get-me.ts";
import { useLogout } from "@/features/auth/api/logout.ts";
import { buildLoginPath } from "@/features/auth/utils/next-path.ts";
import { ChangePasswordForm } from "@/features/profile/components/change-password-form.tsx";
import { isApiError } from "@/lib/api-client.ts";

/** Only a session that owes a password change (an administrator's reset) sees this page. */
export const clientLoader = (queryClient: QueryClient) => async () => {
  try {
    const me = await queryClient.fetchQuery(getMeQueryOptions());
    if (!me.mustChangePassword) throw redirect("/");
    return null;
  } catch (error) {
    if (!isApiError(error) || error.status !== 401) throw error;
    throw redirect(buildLoginPath("/"));
  }
};

/**
 * An administrator reset the password: before anything else, the user chooses their own (the API refuses every other
 * route with 403 `password_change_required` until then).
 */
export function ChangePasswordRoute() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogout({ onSettled: () => navigate("/login", { replace: true }) });
  const goOn = async () => {
    await queryClient.fetchQuery({ ...getMeQueryOptions(), staleTime: 0 });
    await navigate("/", { replace: true });
  };
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <title>Choose a new password · STATUS</title>
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      <p className="mt-2 mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        An administrator reset your password. Enter the password you were given and choose your own before you go on.
      </p>
      <ChangePasswordForm submitLabel="Set new password" onChanged={goOn} />
      <Button variant="ghost" className="mt-6 self-start" isLoading={logout.isPending} onClick={() => logout.mutate()}>
        Sign out
      </Button>
    </main>
  );
}
