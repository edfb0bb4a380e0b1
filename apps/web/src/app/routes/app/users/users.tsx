import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import type { LoaderFunctionArgs } from "react-router";
import { NoAccess } from "@/components/layout/no-access.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { prefetchForRole } from "@/features/auth/utils/prefetch-for-role.ts";
import { getUsersQueryOptions, parseUserListQuery } from "@/features/users/api/get-users.ts";
import { SecondFactorPolicySection } from "@/features/users/components/second-factor-policy-form.tsx";
import { CreateUserDialog } from "@/features/users/components/user-dialogs.tsx";
import { UsersList } from "@/features/users/components/users-list.tsx";

/** Starts the list request for an administrator while the page renders. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    prefetchForRole(queryClient, "ADMIN", getUsersQueryOptions(parseUserListQuery(new URL(request.url).searchParams)));
    return null;
  };

export function UsersRoute() {
  const { user } = useSession();
  const isAdmin = hasRole(user.role, "ADMIN");
  return (
    <>
      <title>Users · STATUS</title>
      <PageHeader
        title="Users"
        description={isAdmin && "Accounts, their roles and whether they can sign in."}
        actions={isAdmin && <CreateUserDialog />}
      />
      {isAdmin ? (
        <>
          <UsersList />
          <SecondFactorPolicySection />
        </>
      ) : (
        <NoAccess minimumRole="ADMIN" />
      )}
    </>
  );
}
