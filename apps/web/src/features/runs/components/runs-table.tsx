import { TERMINAL_RUN_STATUSES, type Run } from "@status/shared";
import { Link } from "react-router";
import { Button } from "@/components/ui/button.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDuration, formatWindow } from "@/lib/format.ts";
import { RUN_TRIGGER_LABELS, RunStatusBadge } from "./run-labels.tsx";

export function isRunCancellable(run: Run): boolean {
  return !TERMINAL_RUN_STATUSES.includes(run.status);
}

interface RunsTableProps {
  runs: Run[];
  isUpdating: boolean;
  /** Where a run's control is shown; the page that knows the route passes it. */
  controlHref: (run: Run) => string;
  onFilterByControl: (run: Run) => void;
  onCancel: (run: Run) => void;
  cancellingRunId: string | null;
}

export function RunsTable({
  runs,
  isUpdating,
  controlHref,
  onFilterByControl,
  onCancel,
  cancellingRunId,
}: RunsTableProps) {
  return (
    <Table aria-busy={isUpdating} aria-label="Runs" className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Control</TableHeaderCell>
          <TableHeaderCell>Window</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">Trigger</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell className="text-right hidden lg:table-cell">Attempts</TableHeaderCell>
          <TableHeaderCell className="text-right">Duration</TableHeaderCell>
          <TableHeaderCell>Error</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id}>
            <TableCell className="max-w-60 min-w-36">
              <Link to={controlHref(run)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                {run.controlName}
              </Link>
              <button
                type="button"
                className="mt-0.5 block text-xs text-zinc-500 hover:underline dark:text-zinc-400"
                onClick={() => onFilterByControl(run)}
              >
                Only this control<span className="sr-only">: {run.controlName}</span>
              </button>
            </TableCell>
            <TableCell className="min-w-40">
              {formatWindow(run.windowStart, run.windowEnd)}
              {run.isProvisional && (
                <span className="block text-xs text-amber-700 dark:text-amber-400">Provisional</span>
              )}
              {/* Trigger and attempts are columns from lg (1024 px) up; narrower, one line here. */}
              <span className="block text-xs text-zinc-500 lg:hidden dark:text-zinc-400">
                {RUN_TRIGGER_LABELS[run.trigger]} · attempt {run.attempts}/{run.maxAttempts}
              </span>
            </TableCell>
            <TableCell className="hidden lg:table-cell">{RUN_TRIGGER_LABELS[run.trigger]}</TableCell>
            <TableCell>
              <RunStatusBadge status={run.status} />
            </TableCell>
            <TableCell className="text-right tabular-nums hidden lg:table-cell">
              {run.attempts}/{run.maxAttempts}
            </TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums">
              {formatDuration(run.durationMs)}
            </TableCell>
            <TableCell className="max-w-xs min-w-32">
              {run.error ? (
                <p
                  className="line-clamp-2 font-mono text-xs break-words text-red-800 dark:text-red-300"
                  title={run.error}
                >
                  {run.error}
                </p>
              ) : (
                <span className="text-zinc-400">—</span>
              )}
            </TableCell>
            <TableCell className="text-right">
              {isRunCancellable(run) && (
                <Button
                  variant="secondary"
                  size="sm"
                  isLoading={cancellingRunId === run.id}
                  aria-label={`Cancel run of ${run.controlName}`}
                  onClick={() => onCancel(run)}
                >
                  Cancel
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
