import type { Control } from "@status/shared";
import type { MouseEvent } from "react";
import { Link, useNavigate } from "react-router";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from "../../../components/ui/table.tsx";
import { controlPath } from "../utils/control-path.ts";
import { PERIOD_LABELS } from "../utils/periods.ts";
import { ControlStatusBadge } from "./control-status-badge.tsx";

export function ControlsTable({ controls, isUpdating }: { controls: Control[]; isUpdating: boolean }) {
  const navigate = useNavigate();
  // The name is the keyboard-accessible link; clicking anywhere else on the row is a mouse shortcut to it.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, control: Control) => {
    if ((event.target as HTMLElement).closest("a, button")) return;
    void navigate(controlPath(control.catalogId, control.id));
  };
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Period</TableHeaderCell>
          <TableHeaderCell className="text-right">Threshold</TableHeaderCell>
          <TableHeaderCell>Mashup</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell className="text-right">Scope sets</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {controls.map((control) => (
          <TableRow key={control.id} className="cursor-pointer" onClick={(event) => openRow(event, control)}>
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
            </TableCell>
            <TableCell>{PERIOD_LABELS[control.period]}</TableCell>
            <TableCell className="text-right tabular-nums">{control.threshold} %</TableCell>
            <TableCell>
              {control.mashupId ? <code className="text-xs">{control.mashupId}</code> : <span className="text-zinc-400">—</span>}
            </TableCell>
            <TableCell>
              <ControlStatusBadge status={control.status} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{control.scopeSetCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
