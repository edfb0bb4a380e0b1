import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { useNavigate, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getDashboardsQueryOptions, parseDashboardListQuery } from "@/features/dashboards/api/get-dashboards.ts";
import { CreateDashboardDialog } from "@/features/dashboards/components/create-dashboard-dialog.tsx";
import { DashboardsList } from "@/features/dashboards/components/dashboards-list.tsx";
import { ImportDashboardDialog } from "@/features/dashboards/components/import-dashboard-dialog.tsx";
import { capabilitiesKey, isUnconfigured, useIntegration } from "@/features/system/api/get-capabilities.ts";
import { IntegrationNotice } from "@/features/system/components/integration-notice.tsx";
import type { SystemCapabilities } from "@status/shared";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    // Without Grafana there is nothing to load: the page says so at once instead of waiting for a 503.
    const capabilities = queryClient.getQueryData<SystemCapabilities>(capabilitiesKey());
    const grafana = capabilities?.integrations.find((integration) => integration.name === "grafana");
    if (grafana && !grafana.isConfigured) return null;
    void queryClient.prefetchQuery(
      getDashboardsQueryOptions(parseDashboardListQuery(new URL(request.url).searchParams)),
    );
    return null;
  };

export function DashboardsRoute() {
  const { user } = useSession();
  const navigate = useNavigate();
  const canEdit = hasRole(user.role, "DEVELOPER");
  const grafana = useIntegration("grafana");
  const isOff = isUnconfigured(grafana);
  const openDashboard = (saved: { uid: string }) => void navigate(`/dashboards/${encodeURIComponent(saved.uid)}`);
  return (
    <>
      <title>Dashboards · STATUS</title>
      <PageHeader
        title="Dashboards"
        description="Charts of compliance over time, in Grafana. You are signed in to Grafana as yourself."
        actions={
          canEdit &&
          (isOff ? (
            <>
              <Button variant="secondary" disabled>
                Import JSON
              </Button>
              <Button disabled>New dashboard</Button>
            </>
          ) : (
            <>
              <ImportDashboardDialog onImported={openDashboard} />
              <CreateDashboardDialog onCreated={openDashboard} />
            </>
          ))
        }
      />
      {grafana && isOff ? <IntegrationNotice integration={grafana} /> : <DashboardsList canEdit={canEdit} />}
    </>
  );
}
