import type { ScheduledRun } from "@status/shared";
import { Link } from "react-router";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { formatDateTime, formatWindow } from "@/lib/format.ts";

/** The scheduler's next runs: each finalized control at the end of its next window. */
export function NextRuns({ runs, now = Date.now() }: { runs: ScheduledRun[]; now?: number }) {
  if (runs.length === 0)
    return (
      <EmptyState title="Nothing scheduled">Finalized catalogs' controls are run at the end of each window.</EmptyState>
    );
  return (
    <ul
      className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
      aria-label="Next scheduled runs"
    >
      {runs.map((run) => (
        <li key={run.controlId} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm">
          <span>
            <Link
              to={`/catalogs/${run.catalogId}/controls/${run.controlId}`}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {run.controlName}
            </Link>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">
              {run.catalogName} · window {formatWindow(run.windowStart, run.windowEnd)}
            </span>
          </span>
          <span className="whitespace-nowrap tabular-nums">
            {Date.parse(run.dueAt) <= now ? "Due now" : formatDateTime(run.dueAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}
