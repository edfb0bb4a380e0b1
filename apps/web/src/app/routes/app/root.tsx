import type { QueryClient } from "@tanstack/react-query";
import { Outlet, redirect, useNavigate, type LoaderFunctionArgs } from "react-router";
import { AppShell } from "@/components/layout/app-shell.tsx";
import { getMeQueryOptions } from "@/features/auth/api/get-me.ts";
import { useLogout } from "@/features/auth/api/logout.ts";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { buildLoginPath } from "@/features/auth/utils/next-path.ts";
import { getCapabilitiesQueryOptions } from "@/features/system/api/get-capabilities.ts";
import { EventsBell } from "@/features/notifications/components/events-bell.tsx";
import { isApiError } from "@/lib/api-client.ts";

/** Every page under the shell needs a session: load it, or send the visitor to sign in and come back. */
export const clientLoader =
  (queryClient: QueryClient) =>
  async ({ request }: LoaderFunctionArgs) => {
    try {
      // Which integrations are configured, learnt once alongside the session: pages without theirs say so at once
      // instead of showing a spinner until a 503. A failure only means pages find out from the API's answers.
      const [me] = await Promise.all([
        queryClient.ensureQueryData(getMeQueryOptions()),
        queryClient.ensureQueryData(getCapabilitiesQueryOptions()).catch(() => undefined),
      ]);
      // An administrator reset the password: nothing else answers until the user has chosen their own.
      if (me.mustChangePassword) throw redirect("/change-password");
      return null;
    } catch (error) {
      if (!isApiError(error) || error.status !== 401) throw error;
      const url = new URL(request.url);
      throw redirect(buildLoginPath(url.pathname + url.search));
    }
  };

export function AppRoot() {
  const { user } = useSession();
  const navigate = useNavigate();
  const logoutMutation = useLogout({ onSettled: () => navigate("/login", { replace: true }) });
  return (
    <AppShell
      user={{ name: user.displayName ?? user.username, role: user.role }}
      onLogout={() => logoutMutation.mutate()}
      isLoggingOut={logoutMutation.isPending}
      headerExtras={<EventsBell />}
    >
      <Outlet />
    </AppShell>
  );
}
