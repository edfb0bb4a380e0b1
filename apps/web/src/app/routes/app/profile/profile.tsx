import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getSessionsQueryOptions } from "@/features/profile/api/get-sessions.ts";
import { ChangePasswordSection } from "@/features/profile/components/change-password-section.tsx";
import { DeveloperLinksSection } from "@/features/profile/components/developer-links-section.tsx";
import { GithubSection } from "@/features/profile/components/github-section.tsx";
import { NotificationsSection } from "@/features/profile/components/notifications-section.tsx";
import { SessionsSection } from "@/features/profile/components/sessions-section.tsx";
import { TwoFactorSection } from "@/features/profile/components/two-factor-section.tsx";

/** Starts the sessions request while the page renders; each section shows its own loading and error states. */
export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getSessionsQueryOptions());
  return null;
};

/** The signed-in user's own account, one section per concern. */
export function ProfileRoute() {
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Ending the current session signs this browser out: leave the protected pages, then forget their data.
  const leave = async () => {
    await navigate("/login", { replace: true });
    queryClient.clear();
  };
  return (
    <>
      <title>Profile · STATUS</title>
      <PageHeader title="Profile" description={`Your account, ${user.displayName ?? user.username}.`} />
      <div className="space-y-10">
        <ChangePasswordSection />
        <TwoFactorSection />
        <GithubSection user={user} />
        <SessionsSection onSignedOut={() => void leave()} />
        <NotificationsSection />
        <DeveloperLinksSection />
      </div>
    </>
  );
}
