import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import type { LoaderFunctionArgs } from "react-router";
import { NoAccess } from "@/components/layout/no-access.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { getAuditQueryOptions, parseAuditListQuery } from "@/features/audit/api/get-audit.ts";
import { AuditLog } from "@/features/audit/components/audit-log.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { prefetchForRole } from "@/features/auth/utils/prefetch-for-role.ts";

/** Starts the list request for an administrator while the page renders. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    prefetchForRole(queryClient, "ADMIN", getAuditQueryOptions(parseAuditListQuery(new URL(request.url).searchParams)));
    return null;
  };

export function AuditRoute() {
  const { user } = useSession();
  const isAdmin = hasRole(user.role, "ADMIN");
  return (
    <>
      <title>Audit log · STATUS</title>
      <PageHeader
        title="Audit log"
        description={isAdmin && "Who changed what, and when, with the state before and after."}
      />
      {isAdmin ? <AuditLog /> : <NoAccess minimumRole="ADMIN" />}
    </>
  );
}
