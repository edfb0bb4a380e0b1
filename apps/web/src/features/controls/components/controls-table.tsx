import type { Control, ControlState } from "@status/shared";
import type { MouseEvent } from "react";
import { Link, useNavigate } from "react-router";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { controlPath } from "../utils/control-path.ts";
import { PERIOD_LABELS } from "../utils/periods.ts";
import { Badge } from "@/components/ui/badge.tsx";
import { SortableHeader } from "@/components/ui/sortable-header.tsx";
import { ControlStatusBadge } from "./control-status-badge.tsx";
import { CurrentStateCell, LastRunCell, NextRunCell } from "./control-state-cells.tsx";

interface ControlsTableProps {
  controls: Control[];
  /** The zone dates are shown in (the catalog's, or UTC): from useTimeZone. */
  timeZone?: string | undefined;
  /** The list's sort ("name", "-threshold"…); with `onSort`, the sortable columns' headers sort the list. */
  sort?: string | undefined;
  onSort?: ((sort: string) => void) | undefined;
  isUpdating: boolean;
  /** Current state per control id; columns show "—" while it loads. */
  states?: Map<string, ControlState> | undefined;
  /** With a selection, each row gets a checkbox (bulk actions). */
  selection?:
    | {
        selectedIds: ReadonlySet<string>;
        onToggle: (controlId: string) => void;
        onToggleAll: (controlIds: string[]) => void;
      }
    | undefined;
}

/**
 * Columns shown from lg (1024 px) up. Narrower, the name cell's summary line carries period, threshold, status and
 * scope sets, and the control page everything else, so a tablet sees name and state without scrolling sideways.
 */
const WIDE = "hidden lg:table-cell";

function Header({
  field,
  sort,
  onSort,
  children,
  className,
}: {
  field: string;
  sort: string | undefined;
  onSort: ((sort: string) => void) | undefined;
  children: string;
  className?: string;
}) {
  if (!sort || !onSort) return <TableHeaderCell className={className}>{children}</TableHeaderCell>;
  return (
    <SortableHeader field={field} sort={sort} onSort={onSort} className={className}>
      {children}
    </SortableHeader>
  );
}

export function ControlsTable({ controls, isUpdating, states, selection, timeZone, sort, onSort }: ControlsTableProps) {
  const navigate = useNavigate();
  // The name is the keyboard-accessible link; clicking anywhere else on the row is a mouse shortcut to it.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, control: Control) => {
    if ((event.target as HTMLElement).closest("a, button, input, label")) return;
    void navigate(controlPath(control.catalogId, control.id));
  };
  const pageIds = controls.map((control) => control.id);
  const isAllSelected =
    selection !== undefined && pageIds.length > 0 && pageIds.every((id) => selection.selectedIds.has(id));
  return (
    <Table aria-busy={isUpdating} aria-label="Controls" className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          {selection && (
            <TableHeaderCell className="w-8">
              <input
                type="checkbox"
                aria-label="Select every control on this page"
                checked={isAllSelected}
                onChange={() => selection.onToggleAll(pageIds)}
              />
            </TableHeaderCell>
          )}
          <Header field="name" sort={sort} onSort={onSort}>
            Name
          </Header>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell className={WIDE}>Last and next run</TableHeaderCell>
          <Header field="period" sort={sort} onSort={onSort} className={WIDE}>
            Period
          </Header>
          <Header field="threshold" sort={sort} onSort={onSort} className={`text-right ${WIDE}`}>
            Threshold
          </Header>
          <TableHeaderCell className={WIDE}>Status</TableHeaderCell>
          <TableHeaderCell className={`text-right ${WIDE}`}>Scope sets</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {controls.map((control) => {
          const state = states?.get(control.id);
          return (
            <TableRow key={control.id} className="cursor-pointer" onClick={(event) => openRow(event, control)}>
              {selection && (
                <TableCell>
                  <input
                    type="checkbox"
                    aria-label={`Select ${control.name}`}
                    checked={selection.selectedIds.has(control.id)}
                    onChange={() => selection.onToggle(control.id)}
                  />
                </TableCell>
              )}
              <TableCell className="max-w-xs">
                <Link
                  to={controlPath(control.catalogId, control.id)}
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {control.name}
                </Link>
                {control.description && (
                  <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400">{control.description}</p>
                )}
                <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                  {control.mashupId ? (
                    <code title="Mashup">{control.mashupId}</code>
                  ) : (
                    <span className="text-zinc-400">No mashup</span>
                  )}
                </p>
                {/* Below lg the columns on the right are hidden: the same facts on one line here. */}
                <p className="mt-1 text-xs text-zinc-600 lg:hidden dark:text-zinc-400" data-testid="control-summary">
                  {PERIOD_LABELS[control.period]} · {control.threshold} % · {control.status}
                  {control.archive || control.isCatalogArchived ? " · archived" : ""} · {control.scopeSetCount}{" "}
                  {control.scopeSetCount === 1 ? "scope set" : "scope sets"}
                </p>
              </TableCell>
              <TableCell>{states ? <CurrentStateCell state={state} timeZone={timeZone} /> : "—"}</TableCell>
              <TableCell className={WIDE}>
                {states ? (
                  <span className="inline-flex flex-col gap-1">
                    <LastRunCell state={state} timeZone={timeZone} />
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">
                      Next: <NextRunCell state={state} timeZone={timeZone} />
                    </span>
                  </span>
                ) : (
                  "—"
                )}
              </TableCell>
              <TableCell className={WIDE}>{PERIOD_LABELS[control.period]}</TableCell>
              <TableCell className={`text-right tabular-nums ${WIDE}`}>{control.threshold} %</TableCell>
              <TableCell className={WIDE}>
                <span className="inline-flex flex-wrap gap-1">
                  <ControlStatusBadge status={control.status} />
                  {(control.archive || control.isCatalogArchived) && <Badge tone="neutral">Archived</Badge>}
                </span>
              </TableCell>
              <TableCell className={`text-right tabular-nums ${WIDE}`}>{control.scopeSetCount}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
