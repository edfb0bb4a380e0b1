import type { DashboardDetail } from "@status/shared";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { useTheme } from "@/lib/theme.ts";
import { useGrafanaSession } from "../api/open-grafana-session.ts";
import { panelEmbedUrl } from "../utils/panel-embed-url.ts";

/** Every panel of a dashboard, each embedded from Grafana's single-panel page in the app's theme. */
export function DashboardPanels({ detail }: { detail: DashboardDetail }) {
  const [theme] = useTheme();
  useGrafanaSession();
  if (detail.panels.length === 0)
    return <EmptyState title="This dashboard has no panels">Add panels in Grafana.</EmptyState>;
  return (
    <section aria-label="Panels" className="grid gap-4 lg:grid-cols-2">
      {detail.panels.map((panel) => (
        <figure key={panel.id} className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
          <figcaption className="flex items-center justify-between border-b border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
            <span className="font-medium">{panel.title || `Panel ${panel.id}`}</span>
            <span className="text-xs text-zinc-500">
              {panel.type} · id {panel.id}
            </span>
          </figcaption>
          <iframe
            title={panel.title || `Panel ${panel.id}`}
            src={panelEmbedUrl(detail.meta.embedPath, panel.id, theme)}
            loading="lazy"
            className="h-72 w-full"
          />
        </figure>
      ))}
    </section>
  );
}
