import type { MyControl } from "@status/shared";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";

const STATE = {
  passing: { label: "Passing", tone: "success" },
  failing: { label: "Failing", tone: "danger" },
  stale: { label: "Stale", tone: "warning" },
  not_evaluated: { label: "Not yet evaluated", tone: "neutral" },
  not_applicable: { label: "Not applicable", tone: "neutral" },
} as const;

function relation(control: MyControl): string {
  if (control.isOwner && control.isWatching) return "Owner, watching";
  return control.isOwner ? "Owner" : "Watching";
}

/** The controls the viewer owns or watches, each with its state and what is left to handle. */
export function MyControlsTable({ controls }: { controls: MyControl[] }) {
  return (
    <Table aria-label="My controls">
      <TableHead>
        <tr>
          <TableHeaderCell>Control</TableHeaderCell>
          <TableHeaderCell>Catalog</TableHeaderCell>
          <TableHeaderCell>Role</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell className="text-right">Unhandled failures</TableHeaderCell>
          <TableHeaderCell className="text-right">Active exceptions</TableHeaderCell>
          <TableHeaderCell>Last evaluated</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {controls.map((control) => (
          <TableRow key={control.controlId}>
            <TableCell>
              <Link
                to={`/catalogs/${control.catalogId}/controls/${control.controlId}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {control.controlName}
              </Link>
            </TableCell>
            <TableCell>{control.catalogName}</TableCell>
            <TableCell>{relation(control)}</TableCell>
            <TableCell>
              <Badge tone={STATE[control.state].tone}>{STATE[control.state].label}</Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">{control.unhandledFailureCount}</TableCell>
            <TableCell className="text-right tabular-nums">{control.activeExceptionCount}</TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(control.lastEvaluatedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
