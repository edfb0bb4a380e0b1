import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { formatDateTime, formatWindow } from "@/lib/format.ts";
import { runListQuery, useRuns } from "../api/get-runs.ts";
import { RUN_TRIGGER_LABELS, RunStatusBadge } from "./run-labels.tsx";

const RECENT_RUNS = runListQuery({ pageSize: 8 });

/** The latest runs of any control, newest first; refreshed while some are still going. */
export function RecentRuns() {
  const runsQuery = useRuns(RECENT_RUNS);
  if (runsQuery.isPending) return <PageSpinner label="Loading recent runs" />;
  if (runsQuery.isError) return <Alert title="The recent runs could not be loaded">{runsQuery.error.message}</Alert>;
  if (runsQuery.data.items.length === 0)
    return <EmptyState title="No runs yet">Runs appear here once a control is run.</EmptyState>;
  return (
    <div className="space-y-2">
      <ul
        className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        aria-label="Recent runs"
      >
        {runsQuery.data.items.map((run) => (
          <li key={run.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
            <span className="min-w-0">
              <Link
                to={`/catalogs/${run.catalogId}/controls/${run.controlId}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {run.controlName}
              </Link>
              <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                {RUN_TRIGGER_LABELS[run.trigger]} · window {formatWindow(run.windowStart, run.windowEnd)} ·{" "}
                {formatDateTime(run.createdAt)}
              </span>
            </span>
            <RunStatusBadge status={run.status} />
          </li>
        ))}
      </ul>
      <Link to="/runs" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
        All runs →
      </Link>
    </div>
  );
}
