import type { FailedControl } from "@status/shared";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { ControlStateBadge, CONTROL_STATE_LABELS } from "@/components/ui/control-state-badge.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { SortableHeader } from "@/components/ui/sortable-header.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatWindow, formatInstant } from "@/lib/format.ts";
import { useTimeZone } from "@/lib/time-zone.ts";

/** The sort values of the table (each also with a leading "-"), kept in the URL by the page. */
export const FAILURE_SORT_FIELDS = [
  "controlName",
  "catalogName",
  "state",
  "failedWindows",
  "failingSince",
  "newestFailure",
] as const;
export type FailureSortField = (typeof FAILURE_SORT_FIELDS)[number];
export const DEFAULT_FAILURE_SORT = "-newestFailure";

const STATE_ORDER = ["failing", "stale", "not_evaluated", "not_applicable", "passing"] as const;

function sortKey(item: FailedControl, field: FailureSortField): string | number {
  switch (field) {
    case "controlName":
      return item.controlName.toLowerCase();
    case "catalogName":
      return item.catalogName.toLowerCase();
    case "state":
      return STATE_ORDER.indexOf(item.state);
    case "failedWindows":
      return item.failedWindows;
    case "failingSince":
      // Not failing now sorts after every streak, whichever the direction.
      return item.failingSince ? Date.parse(item.failingSince) : Number.NaN;
    case "newestFailure":
      return Date.parse(item.newestFailedWindowStart);
  }
}

/** The failures in `sort` order ("field" or "-field"); ties keep the API's order (newest failure first). */
export function sortFailures(items: FailedControl[], sort: string): FailedControl[] {
  const isDescending = sort.startsWith("-");
  const field = (isDescending ? sort.slice(1) : sort) as FailureSortField;
  if (!FAILURE_SORT_FIELDS.includes(field)) return items;
  return [...items].sort((a, b) => {
    const left = sortKey(a, field);
    const right = sortKey(b, field);
    if (Number.isNaN(left) || Number.isNaN(right)) return Number.isNaN(left) ? (Number.isNaN(right) ? 0 : 1) : -1;
    const order = left < right ? -1 : left > right ? 1 : 0;
    return isDescending ? -order : order;
  });
}

/** The control page, opened at the newest failing computation when there is one (the page scrolls to it). */
export function failureLink(item: FailedControl): string {
  const path = `/catalogs/${item.catalogId}/controls/${item.controlId}`;
  return item.newestFailedComputationId ? `${path}?computation=${item.newestFailedComputationId}` : path;
}

interface Column {
  id: string;
  header: ReactNode;
  sortField?: FailureSortField;
  firstDirection?: "asc" | "desc";
  className?: string;
  render: (item: FailedControl, timeZone: string) => ReactNode;
}

/** Columns a tablet does without (below lg, 1024 px): the control's link opens the rest. */
const WIDE_ONLY = "hidden lg:table-cell";

/** The table's columns, in order. */
const COLUMNS: Column[] = [
  {
    id: "control",
    header: "Control",
    sortField: "controlName",
    render: (item) => (
      <>
        <Link to={failureLink(item)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {item.controlName}
        </Link>
        {/* The catalog column is hidden below lg: its name here instead. */}
        <span className="block text-xs text-zinc-500 lg:hidden dark:text-zinc-400">{item.catalogName}</span>
      </>
    ),
  },
  {
    id: "catalog",
    header: "Catalog",
    sortField: "catalogName",
    className: WIDE_ONLY,
    render: (item) => item.catalogName,
  },
  {
    id: "state",
    header: "Now",
    sortField: "state",
    render: (item) => <ControlStateBadge state={item.state} />,
  },
  {
    id: "owner",
    header: "Owner",
    render: (item) =>
      item.owner ? (item.owner.displayName ?? item.owner.username) : <span className="text-zinc-500">Nobody</span>,
  },
  {
    id: "failed",
    header: "Failed windows",
    sortField: "failedWindows",
    firstDirection: "desc",
    className: "text-right",
    render: (item) => (
      <span className="tabular-nums">
        <strong className="text-red-700 dark:text-red-300">{item.failedWindows}</strong> of {item.evaluatedWindows}
      </span>
    ),
  },
  {
    id: "since",
    header: "Failing since",
    sortField: "failingSince",
    render: (item, timeZone) =>
      item.failingSince ? (
        <span className="whitespace-nowrap">{formatInstant(item.failingSince, timeZone)}</span>
      ) : (
        <span className="text-zinc-500">Not failing now</span>
      ),
  },
  {
    id: "newest",
    header: "Newest failure",
    sortField: "newestFailure",
    firstDirection: "desc",
    className: WIDE_ONLY,
    render: (item, timeZone) => (
      <span className="inline-flex flex-col">
        <span>{formatWindow(item.newestFailedWindowStart, item.newestFailedWindowEnd, timeZone)}</span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{timeZone}</span>
      </span>
    ),
  },
];

function FailureRow({ item }: { item: FailedControl }) {
  // Each row's windows are its own catalog's days, in its zone (or UTC when the viewer chose so).
  const { timeZone } = useTimeZone(item.timeZone);
  return (
    <TableRow aria-label={`${item.controlName}: ${CONTROL_STATE_LABELS[item.state]}`}>
      {COLUMNS.map((column) => (
        <TableCell key={column.id} className={column.className}>
          {column.render(item, timeZone)}
        </TableCell>
      ))}
    </TableRow>
  );
}

interface FailuresTableProps {
  items: FailedControl[];
  total: number;
  sort: string;
  onSort: (sort: string) => void;
  /** Says what the period is, e.g. "the last 30 days". */
  periodLabel: string;
}

/**
 * "Failed in this period": every control with a failing window in the period, counted once each, with how many of
 * its windows failed, since when it is failing (or that it is not now), and a link to its newest failing computation.
 */
export function FailuresTable({ items, total, sort, onSort, periodLabel }: FailuresTableProps) {
  if (items.length === 0)
    return (
      <EmptyState title={`No control failed in ${periodLabel}`}>
        Every window evaluated in the period passed, or none was evaluated.
      </EmptyState>
    );
  return (
    <div className="space-y-2">
      <Table aria-label="Failed in this period">
        <TableHead>
          <tr>
            {COLUMNS.map((column) =>
              column.sortField ? (
                <SortableHeader
                  key={column.id}
                  field={column.sortField}
                  sort={sort}
                  onSort={onSort}
                  className={column.className}
                  firstDirection={column.firstDirection}
                >
                  {column.header}
                </SortableHeader>
              ) : (
                <TableHeaderCell key={column.id} className={column.className}>
                  {column.header}
                </TableHeaderCell>
              ),
            )}
          </tr>
        </TableHead>
        <TableBody>
          {sortFailures(items, sort).map((item) => (
            <FailureRow key={item.controlId} item={item} />
          ))}
        </TableBody>
      </Table>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {total === 1 ? "1 control" : `${total} controls`} failed in {periodLabel}
        {total > items.length ? `; the ${items.length} with the newest failures are listed` : ""}. Each control counts
        once, however many of its scopes failed.
      </p>
    </div>
  );
}
