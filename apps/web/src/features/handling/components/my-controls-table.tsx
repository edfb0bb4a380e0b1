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
          <TableHeaderCell className="hidden lg:table-cell">Role</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell className="text-right">Unhandled failures</TableHeaderCell>
          <TableHeaderCell className="text-right">Active exceptions</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">Last evaluated</TableHeaderCell>
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
              {/* Role and last evaluation are columns from lg (1024 px) up; narrower, one line here. */}
              <span className="block text-xs text-zinc-500 lg:hidden dark:text-zinc-400">
                {relation(control)} · last evaluated {formatDateTime(control.lastEvaluatedAt)}
              </span>
            </TableCell>
            <TableCell>{control.catalogName}</TableCell>
            <TableCell className="hidden lg:table-cell">{relation(control)}</TableCell>
            <TableCell>
              <Badge tone={STATE[control.state].tone}>{STATE[control.state].label}</Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">{control.unhandledFailureCount}</TableCell>
            <TableCell className="text-right tabular-nums">{control.activeExceptionCount}</TableCell>
            <TableCell className="whitespace-nowrap hidden lg:table-cell">
              {formatDateTime(control.lastEvaluatedAt)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
