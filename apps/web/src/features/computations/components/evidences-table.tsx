import type { Evidence } from "@status/shared";
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { JsonValue } from "./json-value.tsx";
import { EvidenceResultBadge } from "./result-badges.tsx";

const BATCH = 100;

interface EvidencesTableProps {
  evidences: Evidence[];
  timeZone?: string | undefined;
}

/** Evidence items in their flow order; a long list is shown a hundred at a time. */
export function EvidencesTable({ evidences, timeZone }: EvidencesTableProps) {
  const [limit, setLimit] = useState(BATCH);
  const shown = evidences.slice(0, limit);
  return (
    <div className="space-y-3">
      <Table aria-label="Evidence">
        <TableHead>
          <tr>
            <TableHeaderCell>Key</TableHeaderCell>
            <TableHeaderCell>Value</TableHeaderCell>
            <TableHeaderCell>Result</TableHeaderCell>
            <TableHeaderCell>From</TableHeaderCell>
            <TableHeaderCell>To</TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {shown.map((evidence) => (
            <TableRow key={evidence.position}>
              <TableCell className="max-w-56 min-w-32 font-mono text-xs [overflow-wrap:anywhere]">
                {evidence.key}
              </TableCell>
              <TableCell className="max-w-md min-w-56">
                <JsonValue value={evidence.value} />
              </TableCell>
              <TableCell>
                <EvidenceResultBadge result={evidence.result} />
              </TableCell>
              <TableCell className="whitespace-nowrap">{formatDateTime(evidence.from, timeZone)}</TableCell>
              <TableCell className="whitespace-nowrap">{formatDateTime(evidence.to, timeZone)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {evidences.length > limit && (
        <div className="flex items-center gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">
            Showing {limit.toLocaleString()} of {evidences.length.toLocaleString()}
          </span>
          <Button variant="secondary" size="sm" onClick={() => setLimit((current) => current + BATCH)}>
            Show more
          </Button>
        </div>
      )}
    </div>
  );
}
