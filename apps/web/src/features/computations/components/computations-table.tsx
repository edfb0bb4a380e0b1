import type { Computation, EvidenceResult } from "@status/shared";
import { Fragment, useEffect, useRef, type MouseEvent } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatPercent, formatWindow } from "@/lib/format.ts";
import { scopeLabelOf } from "../api/get-computation-scopes.ts";
import { ComputationEvidence } from "./computation-evidence.tsx";
import type { EvidenceExplanation } from "./evidences-table.tsx";
import { RecordingBadge } from "./recording-badge.tsx";
import { ComputationResultBadge, ComputationStatusBadge } from "./result-badges.tsx";
import { SortHeaderCell } from "./sort-header-cell.tsx";

const COLUMN_COUNT = 8;

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
  sort: string;
  onSort: (sort: string) => void;
  explanation?: EvidenceExplanation | undefined;
  /** A computation to scroll into view once it is shown open (a link to it was followed). */
  scrollToId?: string | undefined;
  timeZone?: string | undefined;
}

/** Brings the opened row into view when it first appears, e.g. after following a link to it. */
function useScrollIntoView(
  openComputationId: string | null,
  scrollToId: string | undefined,
  computations: Computation[],
) {
  const rowRef = useRef<HTMLTableRowElement | null>(null);
  const scrolledTo = useRef<string | null>(null);
  const isShown = computations.some((computation) => computation.id === openComputationId);
  useEffect(() => {
    if (!scrollToId || !isShown || openComputationId !== scrollToId || scrolledTo.current === scrollToId) return;
    scrolledTo.current = scrollToId;
    rowRef.current?.scrollIntoView?.({ block: "start" });
  }, [scrollToId, isShown, openComputationId]);
  return rowRef;
}

/** One row per window; a row opens its evidence underneath (the window is the keyboard-accessible toggle). */
export function ComputationsTable({
  computations,
  isUpdating,
  openComputationId,
  onToggle,
  evidenceResult,
  onEvidenceResultChange,
  sort,
  onSort,
  explanation,
  scrollToId,
  timeZone,
}: ComputationsTableProps) {
  const openRowRef = useScrollIntoView(openComputationId, scrollToId, computations);
  const toggleRow = (event: MouseEvent<HTMLTableRowElement>, computationId: string) => {
    if ((event.target as HTMLElement).closest("a, button")) return;
    onToggle(openComputationId === computationId ? null : computationId);
  };
  return (
    <Table aria-busy={isUpdating} aria-label="Computations" className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <SortHeaderCell field="windowStart" label="Window" sort={sort} firstSort="-windowStart" onSort={onSort} />
          <TableHeaderCell>Scope</TableHeaderCell>
          <TableHeaderCell>Version</TableHeaderCell>
          <TableHeaderCell>Recorded</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <SortHeaderCell field="result" label="Result" sort={sort} onSort={onSort} />
          <SortHeaderCell field="compliance" label="Compliance" sort={sort} onSort={onSort} className="text-right" />
          <TableHeaderCell>Evidence</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {computations.map((computation) => {
          const isOpen = computation.id === openComputationId;
          const detailId = `computation-${computation.id}-evidence`;
          return (
            <Fragment key={computation.id}>
              <TableRow
                ref={isOpen ? openRowRef : undefined}
                id={`computation-${computation.id}`}
                className={isOpen ? "scroll-mt-4 bg-indigo-50/60 dark:bg-indigo-950/30" : "cursor-pointer"}
                onClick={(event) => toggleRow(event, computation.id)}
              >
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
                  </div>
                </TableCell>
                <TableCell className="max-w-48 text-xs [overflow-wrap:anywhere]">
                  {scopeLabelOf(computation.scope)}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  {computation.controlVersion === null ? (
                    <span className="text-zinc-400">—</span>
                  ) : (
                    <span title={`Computed under version ${computation.controlVersion} of the control`}>
                      v{computation.controlVersion}
                    </span>
                  )}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <RecordingBadge recording={computation.recording} />
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
                        explanation={explanation}
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
