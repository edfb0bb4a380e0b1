import { GrafanaUidSchema, hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getDashboardQueryOptions, useDashboard } from "@/features/dashboards/api/get-dashboard.ts";
import { DashboardActions } from "@/features/dashboards/components/dashboard-actions.tsx";
import { DashboardPanels } from "@/features/dashboards/components/dashboard-panels.tsx";
import { GrafanaProblem } from "@/features/dashboards/components/grafana-problem.tsx";
import { isApiError } from "@/lib/api-client.ts";

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    const uid = params.uid ?? "";
    if (GrafanaUidSchema.safeParse(uid).success) void queryClient.prefetchQuery(getDashboardQueryOptions(uid));
    return null;
  };

function BackToDashboards() {
  return (
    <Link to="/dashboards" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
      ← All dashboards
    </Link>
  );
}

export function DashboardRoute() {
  const { uid = "" } = useParams();
  const isValidUid = GrafanaUidSchema.safeParse(uid).success;
  const { user } = useSession();
  const navigate = useNavigate();
  const dashboardQuery = useDashboard(uid, { enabled: isValidUid });

  if (!isValidUid || isApiError(dashboardQuery.error, "not_found")) {
    return (
      <>
        <title>Dashboard not found · STATUS</title>
        <BackToDashboards />
        <PageHeader
          title="Dashboard not found"
          description="It may have been deleted in Grafana, or the address is wrong."
        />
      </>
    );
  }
  if (dashboardQuery.isPending) return <PageSpinner label="Loading dashboard" />;
  if (dashboardQuery.isError) {
    return (
      <>
        <BackToDashboards />
        <GrafanaProblem error={dashboardQuery.error} what="dashboard" onRetry={() => void dashboardQuery.refetch()} />
      </>
    );
  }
  const detail = dashboardQuery.data;
  return (
    <>
      <title>{`${detail.dashboard.title} · Dashboards · STATUS`}</title>
      <BackToDashboards />
      <PageHeader
        title={detail.dashboard.title}
        description={`In ${detail.meta.folderTitle ?? "General"} · version ${detail.meta.version}`}
        actions={
          <DashboardActions
            detail={detail}
            canEdit={hasRole(user.role, "DEVELOPER")}
            onDeleted={() => void navigate("/dashboards", { replace: true })}
          />
        }
      />
      <DashboardPanels detail={detail} />
    </>
  );
}
