import { hasRole, type Role } from "@status/shared";
import type { ReactNode } from "react";
import { PageHeader } from "../../../components/layout/page-header.tsx";
import { Alert } from "../../../components/ui/alert.tsx";
import { EmptyState } from "../../../components/ui/empty-state.tsx";
import { useSession } from "../../../features/auth/hooks/use-session.ts";

interface ComingSoonRouteProps {
  title: string;
  summary: ReactNode;
  minimumRole?: Role | undefined;
}

/** A placeholder for an area that exists in the navigation but is not built yet; it shows no data. */
export function ComingSoonRoute({ title, summary, minimumRole }: ComingSoonRouteProps) {
  const { user } = useSession();
  if (minimumRole && !hasRole(user.role, minimumRole)) {
    return (
      <>
        <title>{`${title} · STATUS`}</title>
        <PageHeader title={title} />
        <Alert title="You do not have access to this page">It is available to the {minimumRole} role.</Alert>
      </>
    );
  }
  return (
    <>
      <title>{`${title} · STATUS`}</title>
      <PageHeader title={title} description={summary} />
      <EmptyState title="Coming in a later release">This area is not available yet.</EmptyState>
    </>
  );
}
