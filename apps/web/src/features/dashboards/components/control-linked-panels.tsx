import type { ControlPanel } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Select } from "@/components/ui/input.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { IntegrationNotice, isUnconfigured, useIntegration } from "@/features/system/index.ts";
import { useTheme } from "@/lib/theme.ts";
import { useControlPanels } from "../api/get-control-panels.ts";
import { useDashboard } from "../api/get-dashboard.ts";
import { useDashboards } from "../api/get-dashboards.ts";
import { useLinkControlPanel } from "../api/link-control-panel.ts";
import { useGrafanaSession } from "../api/open-grafana-session.ts";
import { useUnlinkControlPanel } from "../api/unlink-control-panel.ts";
import { panelEmbedUrl } from "../utils/panel-embed-url.ts";

/** The Grafana panels about a control, embedded; developers link and unlink them here. */
export function ControlLinkedPanels({ controlId, canEdit }: { controlId: string; canEdit: boolean }) {
  const grafana = useIntegration("grafana");
  if (grafana && isUnconfigured(grafana))
    return (
      <section aria-labelledby="linked-panels-heading" className="space-y-3">
        <h2 id="linked-panels-heading" className="text-lg font-semibold">
          Linked panels
        </h2>
        <IntegrationNotice integration={grafana} />
      </section>
    );
  return <ConfiguredLinkedPanels controlId={controlId} canEdit={canEdit} />;
}

function ConfiguredLinkedPanels({ controlId, canEdit }: { controlId: string; canEdit: boolean }) {
  const panelsQuery = useControlPanels(controlId);
  useGrafanaSession({ enabled: (panelsQuery.data?.length ?? 0) > 0 });
  return (
    <section aria-labelledby="linked-panels-heading" className="space-y-3">
      <h2 id="linked-panels-heading" className="text-lg font-semibold">
        Linked panels
      </h2>
      {panelsQuery.isPending && <PageSpinner label="Loading linked panels" />}
      {panelsQuery.isError && <Alert title="The linked panels could not be loaded">{panelsQuery.error.message}</Alert>}
      {panelsQuery.data?.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No Grafana panels are linked to this control.</p>
      )}
      {panelsQuery.data && panelsQuery.data.length > 0 && (
        <div className="grid gap-4 lg:grid-cols-2">
          {panelsQuery.data.map((link) => (
            <LinkedPanel key={link.id} link={link} canEdit={canEdit} />
          ))}
        </div>
      )}
      {canEdit && <LinkPanelForm controlId={controlId} />}
    </section>
  );
}

function LinkedPanel({ link, canEdit }: { link: ControlPanel; canEdit: boolean }) {
  const [theme] = useTheme();
  const unlink = useUnlinkControlPanel(link.controlId);
  return (
    <figure className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <figcaption className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
        <a
          href={link.dashboardUrl}
          target="_blank"
          rel="noreferrer"
          className="truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300"
        >
          {link.dashboardTitle} · {link.panelTitle || `Panel ${link.panelId}`}
        </a>
        {canEdit && (
          <Button
            variant="ghost"
            size="sm"
            isLoading={unlink.isPending}
            aria-label={`Unlink ${link.panelTitle || `panel ${link.panelId}`}`}
            onClick={() => unlink.mutate(link.id)}
          >
            Unlink
          </Button>
        )}
      </figcaption>
      <iframe
        title={link.panelTitle || `Panel ${link.panelId}`}
        src={panelEmbedUrl(link.embedPath, link.panelId, theme)}
        loading="lazy"
        className="h-64 w-full"
      />
    </figure>
  );
}

/** Pick a dashboard, then one of its panels. Without Grafana the dashboards cannot be listed, and the form says so. */
function LinkPanelForm({ controlId }: { controlId: string }) {
  const [dashboardUid, setDashboardUid] = useState("");
  const [panelId, setPanelId] = useState("");
  const dashboardsQuery = useDashboards({ page: 1, pageSize: 200 });
  const dashboardQuery = useDashboard(dashboardUid, { enabled: dashboardUid !== "" });
  const link = useLinkControlPanel(controlId);

  if (dashboardsQuery.isError)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Panels can be linked once Grafana is reachable ({dashboardsQuery.error.message}).
      </p>
    );
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        link.mutate({ dashboardUid, panelId: Number(panelId) }, { onSuccess: () => setPanelId("") });
      }}
    >
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Dashboard</span>
        <Select value={dashboardUid} onChange={(event) => (setDashboardUid(event.target.value), setPanelId(""))}>
          <option value="">Choose a dashboard</option>
          {dashboardsQuery.data?.items.map((dashboard) => (
            <option key={dashboard.uid} value={dashboard.uid}>
              {dashboard.title}
            </option>
          ))}
        </Select>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Panel</span>
        <Select value={panelId} disabled={!dashboardQuery.data} onChange={(event) => setPanelId(event.target.value)}>
          <option value="">Choose a panel</option>
          {dashboardQuery.data?.panels.map((panel) => (
            <option key={panel.id} value={String(panel.id)}>
              {panel.title || `Panel ${panel.id}`}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" variant="secondary" disabled={!dashboardUid || !panelId} isLoading={link.isPending}>
        Link panel
      </Button>
      {link.isError && <Alert className="basis-full">{link.error.message}</Alert>}
    </form>
  );
}
