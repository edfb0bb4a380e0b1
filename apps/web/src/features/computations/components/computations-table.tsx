import type { Computation, EvidenceResult } from "@status/shared";
import { Fragment, type MouseEvent } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatPercent, formatWindow } from "@/lib/format.ts";
import { ComputationEvidence } from "./computation-evidence.tsx";
import { ComputationResultBadge, ComputationStatusBadge, ProvisionalTag } from "./result-badges.tsx";

const COLUMN_COUNT = 5;

function EvidenceCounts({ computation }: { computation: Computation }) {
  const counts = [
    { label: "pass", value: computation.passCount, className: "text-emerald-700 dark:text-emerald-400" },
    { label: "fail", value: computation.failCount, className: "text-red-700 dark:text-red-400" },
    { label: "error", value: computation.errorCount, className: "text-amber-700 dark:text-amber-400" },
    { label: "n/a", value: computation.notApplicableCount, className: "text-zinc-500 dark:text-zinc-400" },
  ];
  return (
    <ul className="flex flex-wrap gap-x-2.5 text-xs tabular-nums" aria-label="Evidence counts">
      {counts.map((count) => (
        <li key={count.label} className={count.value > 0 ? count.className : "text-zinc-400 dark:text-zinc-600"}>
          {count.value.toLocaleString()} {count.label}
        </li>
      ))}
    </ul>
  );
}

interface ComputationsTableProps {
  computations: Computation[];
  isUpdating: boolean;
  openComputationId: string | null;
  onToggle: (computationId: string | null) => void;
  evidenceResult: EvidenceResult | undefined;
  onEvidenceResultChange: (result: EvidenceResult | undefined) => void;
  timeZone?: string | undefined;
}

/** One row per window; a row opens its evidence underneath (the window is the keyboard-accessible toggle). */
export function ComputationsTable({
  computations,
  isUpdating,
  openComputationId,
  onToggle,
  evidenceResult,
  onEvidenceResultChange,
  timeZone,
}: ComputationsTableProps) {
  const toggleRow = (event: MouseEvent<HTMLTableRowElement>, computationId: string) => {
    if ((event.target as HTMLElement).closest("a, button")) return;
    onToggle(openComputationId === computationId ? null : computationId);
  };
  return (
    <Table aria-busy={isUpdating} aria-label="Computations" className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Window</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Result</TableHeaderCell>
          <TableHeaderCell className="text-right">Compliance</TableHeaderCell>
          <TableHeaderCell>Evidence</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {computations.map((computation) => {
          const isOpen = computation.id === openComputationId;
          const detailId = `computation-${computation.id}-evidence`;
          return (
            <Fragment key={computation.id}>
              <TableRow className="cursor-pointer" onClick={(event) => toggleRow(event, computation.id)}>
                <TableCell>
                  <div className="flex flex-wrap items-center gap-2">
                    <button
                      type="button"
                      aria-expanded={isOpen}
                      aria-controls={isOpen ? detailId : undefined}
                      onClick={() => onToggle(isOpen ? null : computation.id)}
                      className="flex items-center gap-1.5 text-left font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      <span aria-hidden="true" className="inline-block w-3 text-xs">
                        {isOpen ? "▾" : "▸"}
                      </span>
                      {formatWindow(computation.windowStart, computation.windowEnd, timeZone)}
                    </button>
                    {computation.isProvisional && <ProvisionalTag />}
                    {computation.controlVersion !== null && (
                      <span
                        className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300"
                        title={`Computed under version ${computation.controlVersion} of the control`}
                      >
                        v{computation.controlVersion}
                      </span>
                    )}
                  </div>
                </TableCell>
                <TableCell>
                  <ComputationStatusBadge status={computation.status} />
                </TableCell>
                <TableCell>
                  <ComputationResultBadge computation={computation} />
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatPercent(computation.compliance)}</TableCell>
                <TableCell>
                  <EvidenceCounts computation={computation} />
                </TableCell>
              </TableRow>
              {isOpen && (
                <tr>
                  <td colSpan={COLUMN_COUNT} id={detailId} className="bg-zinc-50 px-4 py-4 dark:bg-zinc-950/40">
                    <section aria-label="Evidence of this window">
                      <ComputationEvidence
                        computationId={computation.id}
                        result={evidenceResult}
                        onResultChange={onEvidenceResultChange}
                        timeZone={timeZone}
                      />
                    </section>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
