import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import type { LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getScopesQueryOptions, parseScopeListQuery } from "@/features/scopes/api/get-scopes.ts";
import { CreateScopeDialog } from "@/features/scopes/components/scope-dialogs.tsx";
import { ScopesList } from "@/features/scopes/components/scopes-list.tsx";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(getScopesQueryOptions(parseScopeListQuery(new URL(request.url).searchParams)));
    return null;
  };

export function ScopesRoute() {
  const { user } = useSession();
  const canEdit = hasRole(user.role, "DEVELOPER");
  return (
    <>
      <title>Scopes · STATUS</title>
      <PageHeader
        title="Scopes"
        description="The dimensions, such as organisations, repositories and teams, that controls are evaluated for."
        actions={canEdit && <CreateScopeDialog />}
      />
      <ScopesList canEdit={canEdit} />
    </>
  );
}
