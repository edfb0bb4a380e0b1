import {
  DashboardListQuerySchema,
  type DashboardFolder,
  type DashboardListQuery,
  type DashboardSummary,
} from "@status/shared";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { SelectFilter } from "@/components/ui/select-filter.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useDashboardFolders } from "../api/get-dashboard-folders.ts";
import { useDashboards } from "../api/get-dashboards.ts";
import { useGrafanaSession } from "../api/open-grafana-session.ts";
import { DeleteDashboardDialog } from "./delete-dashboard-dialog.tsx";
import { FoldersSection } from "./folders-section.tsx";
import { GrafanaProblem } from "./grafana-problem.tsx";

/** Dashboards in Grafana with their folders; search, folder and page live in the URL. */
export function DashboardsList({ canEdit }: { canEdit: boolean }) {
  const { query, update } = useListParams(DashboardListQuerySchema);
  const dashboardsQuery = useDashboards(query);
  const foldersQuery = useDashboardFolders();
  useGrafanaSession({ enabled: dashboardsQuery.isSuccess });
  const isFiltered = Boolean(query.q || query.folderUid || query.page > 1);

  if (dashboardsQuery.isError && !dashboardsQuery.data) {
    return (
      <GrafanaProblem error={dashboardsQuery.error} what="dashboards" onRetry={() => void dashboardsQuery.refetch()} />
    );
  }
  return (
    <div className="space-y-6">
      <FoldersSection
        folders={foldersQuery.data ?? []}
        selectedUid={query.folderUid}
        canEdit={canEdit}
        onSelect={(folderUid) => update({ folderUid })}
      />
      <section aria-label="Dashboards">
        <DashboardsToolbar query={query} folders={foldersQuery.data ?? []} onChange={update} />
        <PagedList
          query={dashboardsQuery}
          loadingLabel="Loading dashboards"
          errorTitle="The dashboards could not be loaded"
          empty={{
            title: isFiltered ? "No dashboards match these filters" : "No dashboards yet",
            body: isFiltered ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => update({ q: undefined, folderUid: undefined, page: 1 })}
              >
                Clear filters
              </Button>
            ) : (
              <p>
                {canEdit
                  ? "Create one from a template, or import a dashboard's JSON."
                  : "Developers can create dashboards from templates or import them."}
              </p>
            ),
          }}
          onPageChange={(page) => update({ page })}
        >
          {(dashboards, isUpdating) => (
            <DashboardsTable dashboards={dashboards} isUpdating={isUpdating} canEdit={canEdit} />
          )}
        </PagedList>
      </section>
    </div>
  );
}

interface ToolbarProps {
  query: DashboardListQuery;
  folders: DashboardFolder[];
  onChange: (changes: Partial<DashboardListQuery>) => void;
}

function DashboardsToolbar({ query, folders, onChange }: ToolbarProps) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto]">
      <SearchBox value={query.q ?? ""} placeholder="Dashboard title" onSearch={(q) => onChange({ q })} />
      <SelectFilter
        label="Folder"
        value={query.folderUid}
        anyLabel="All folders"
        options={folders.map((folder) => ({ value: folder.uid, label: folder.title }))}
        onChange={(folderUid) => onChange({ folderUid })}
      />
    </div>
  );
}

function DashboardsTable({
  dashboards,
  isUpdating,
  canEdit,
}: {
  dashboards: DashboardSummary[];
  isUpdating: boolean;
  canEdit: boolean;
}) {
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Title</TableHeaderCell>
          <TableHeaderCell>Folder</TableHeaderCell>
          <TableHeaderCell>Tags</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {dashboards.map((dashboard) => (
          <TableRow key={dashboard.uid}>
            <TableCell className="max-w-sm">
              <Link
                to={`/dashboards/${encodeURIComponent(dashboard.uid)}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {dashboard.title}
              </Link>
            </TableCell>
            <TableCell>{dashboard.folderTitle ?? "General"}</TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-1">
                {dashboard.tags.map((tag) => (
                  <Badge key={tag}>{tag}</Badge>
                ))}
              </div>
            </TableCell>
            <TableCell className="text-right whitespace-nowrap">
              <div className="flex justify-end gap-1">
                <a
                  href={dashboard.url}
                  target="_blank"
                  rel="noreferrer"
                  className="inline-flex h-8 items-center px-3 text-sm text-indigo-700 hover:underline dark:text-indigo-300"
                  aria-label={`Open ${dashboard.title} in Grafana`}
                >
                  Open in Grafana
                </a>
                {canEdit && <DeleteDashboardDialog dashboard={dashboard} />}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
