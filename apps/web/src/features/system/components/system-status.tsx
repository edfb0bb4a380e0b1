import type { DependencyHealth } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { SYSTEM_HEALTH_REFRESH_MS, useSystemHealth } from "../api/get-system-health.ts";

const LABELS: Record<DependencyHealth["name"], string> = {
  database: "Database",
  cache: "Cache",
  queue: "Run queue",
  "node-red": "Node-RED",
  grafana: "Grafana",
  registry: "Governify registry",
  director: "Governify director",
};

function StatusBadge({ status }: { status: DependencyHealth["status"] }) {
  if (status === "up") return <Badge tone="success">Up</Badge>;
  if (status === "down") return <Badge tone="danger">Down</Badge>;
  // Configured, and STATUS is still setting it up (Grafana until it answers and STATUS has made its token).
  if (status === "pending") return <Badge tone="warning">Starting</Badge>;
  return <Badge tone="neutral">Not configured</Badge>;
}

/** Every dependency the API relies on, refreshed every 15 s. URLs come only for admins (the API leaves them out). */
export function SystemStatus({ showUrls }: { showUrls: boolean }) {
  const health = useSystemHealth();
  if (health.isPending) return <Spinner label="Checking the system" />;
  if (health.isError) {
    return (
      <LoadError
        title="The system status could not be loaded"
        error={health.error}
        onRetry={() => void health.refetch()}
      />
    );
  }
  const { status, checkedAt, dependencies } = health.data;
  return (
    <div className="space-y-3">
      <p className="flex items-center gap-2 text-sm" aria-live="polite">
        {status === "ok" ? <Badge tone="success">All systems up</Badge> : <Badge tone="danger">Degraded</Badge>}
        <span className="text-zinc-500 dark:text-zinc-400">
          Checked {formatDateTime(checkedAt)}; refreshes every {SYSTEM_HEALTH_REFRESH_MS / 1000} s.
        </span>
        {health.isFetching && <Spinner size="sm" label="Refreshing" />}
      </p>
      <Table aria-label="Dependencies">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Dependency</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Latency</TableHeaderCell>
            <TableHeaderCell>Version</TableHeaderCell>
            {showUrls && <TableHeaderCell>URL</TableHeaderCell>}
            <TableHeaderCell>Detail</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {dependencies.map((dependency) => (
            <TableRow key={dependency.name}>
              <TableCell className="font-medium">{LABELS[dependency.name]}</TableCell>
              <TableCell className="whitespace-nowrap">
                <StatusBadge status={dependency.status} />
              </TableCell>
              <TableCell>{dependency.latencyMs === null ? "—" : `${dependency.latencyMs} ms`}</TableCell>
              <TableCell>{dependency.version ?? "—"}</TableCell>
              {showUrls && <TableCell className="font-mono text-xs break-all">{dependency.url ?? "—"}</TableCell>}
              <TableCell className="text-zinc-600 dark:text-zinc-400">{dependency.detail ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
