import type { SoaRow } from "@status/shared";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { ApplicabilityForm } from "./applicability-form.tsx";
import { SoaControls } from "./soa-labels.tsx";

function Decision({ row }: { row: SoaRow }) {
  return (
    <div className="space-y-1 text-sm">
      <p className="font-medium">{row.isApplicable ? "Applicable" : "Not applicable"}</p>
      <p className="break-words whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">
        {row.justification ?? <span className="text-zinc-400">No justification yet</span>}
      </p>
    </div>
  );
}

interface SoaTableProps {
  frameworkId: string;
  rows: SoaRow[];
  /** DEVELOPER and up decide; everyone else reads. */
  canEdit: boolean;
}

/** The Statement of Applicability: per requirement, the decision (editable in place) and the controls behind it. */
export function SoaTable({ frameworkId, rows, canEdit }: SoaTableProps) {
  return (
    <Table aria-label="Statement of Applicability">
      <TableHead>
        <tr>
          <TableHeaderCell>Requirement</TableHeaderCell>
          <TableHeaderCell>Applicability and justification</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">Controls</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.requirementId}>
            <TableCell className="max-w-72 min-w-40">
              <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                {row.groupKey ? `${row.groupKey} · ` : ""}
                {row.requirementKey}
              </p>
              <p className="font-medium break-words">{row.title}</p>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {row.decidedAt ? `Decided ${formatDateTime(row.decidedAt)}` : "Not decided yet"}
              </p>
              {/* The controls are a column from lg (1024 px) up; narrower, they follow the requirement. */}
              <div className="mt-2 lg:hidden">
                <SoaControls controls={row.controls} />
              </div>
            </TableCell>
            <TableCell className="min-w-56">
              {canEdit ? <ApplicabilityForm frameworkId={frameworkId} row={row} /> : <Decision row={row} />}
            </TableCell>
            <TableCell className="hidden min-w-56 lg:table-cell">
              <SoaControls controls={row.controls} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
