import type { Control, Period } from "@status/shared";
import { Badge } from "../../../components/ui/badge.tsx";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from "../../../components/ui/table.tsx";

const PERIOD_LABELS: Record<Period, string> = {
  HOURLY: "Hourly",
  DAILY: "Daily",
  WEEKLY: "Weekly",
  MONTHLY: "Monthly",
  ANNUALLY: "Annually",
};

export function ControlsTable({ controls, isUpdating }: { controls: Control[]; isUpdating: boolean }) {
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
          <TableRow key={control.id}>
            <TableCell className="max-w-xs">
              <span className="font-medium">{control.name}</span>
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
              {control.status === "finalized" ? <Badge tone="success">Finalized</Badge> : <Badge tone="warning">Draft</Badge>}
            </TableCell>
            <TableCell className="text-right tabular-nums">{control.scopeSetCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
