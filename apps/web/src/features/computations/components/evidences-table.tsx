import {
  findEvidenceDeclaration,
  formatEvidenceRule,
  formatEvidenceValue,
  type Evidence,
  type EvidenceDeclaration,
} from "@status/shared";
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { JsonValue } from "./json-value.tsx";
import { EvidenceResultBadge } from "./result-badges.tsx";

const BATCH = 100;

/** What explains a mashup's evidences: its declarations, and the parameter values its rules compare with. */
export interface EvidenceExplanation {
  declarations: readonly EvidenceDeclaration[];
  /** The control's parameters over the mashup's defaults. */
  params: Readonly<Record<string, unknown>>;
}

interface EvidencesTableProps {
  evidences: Evidence[];
  /** Without one (or with no declarations), the evidence is shown as the flow reported it. */
  explanation?: EvidenceExplanation | undefined;
  timeZone?: string | undefined;
}

interface EvidenceValueProps {
  evidence: Evidence;
  declaration: EvidenceDeclaration | undefined;
}

function EvidenceValue({ evidence, declaration }: EvidenceValueProps) {
  const value = evidence.value;
  const isScalar = value === null || ["string", "number", "boolean"].includes(typeof value);
  if (!declaration || !isScalar) return <JsonValue value={value} />;
  return <span className="tabular-nums">{formatEvidenceValue(value, declaration.unit)}</span>;
}

/**
 * Evidence items in their flow order; a long list is shown a hundred at a time. Where the mashup declares its
 * evidences, each row says what the value is, its unit, and the rule with the control's parameter values.
 */
export function EvidencesTable({ evidences, explanation, timeZone }: EvidencesTableProps) {
  const [limit, setLimit] = useState(BATCH);
  const shown = evidences.slice(0, limit);
  const declarations = explanation?.declarations ?? [];
  const isExplained = declarations.length > 0;
  return (
    <div className="space-y-3">
      <Table aria-label="Evidence">
        <TableHead>
          <tr>
            <TableHeaderCell>Key</TableHeaderCell>
            {isExplained && <TableHeaderCell>Checked</TableHeaderCell>}
            <TableHeaderCell>Value</TableHeaderCell>
            {isExplained && <TableHeaderCell>Rule</TableHeaderCell>}
            <TableHeaderCell>Result</TableHeaderCell>
            <TableHeaderCell>From</TableHeaderCell>
            <TableHeaderCell>To</TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {shown.map((evidence) => {
            const declaration = isExplained ? findEvidenceDeclaration(declarations, evidence.key) : undefined;
            return (
              <TableRow key={evidence.position}>
                <TableCell className="max-w-56 min-w-32 font-mono text-xs [overflow-wrap:anywhere]">
                  {evidence.key}
                </TableCell>
                {isExplained && <TableCell className="min-w-40">{declaration?.label ?? "—"}</TableCell>}
                <TableCell className={isExplained ? "min-w-24" : "max-w-md min-w-56"}>
                  <EvidenceValue evidence={evidence} declaration={declaration} />
                </TableCell>
                {isExplained && (
                  <TableCell className="min-w-40" title={declaration?.description}>
                    {declaration?.rule
                      ? formatEvidenceRule(declaration.rule, { params: explanation?.params, unit: declaration.unit })
                      : "—"}
                  </TableCell>
                )}
                <TableCell>
                  <EvidenceResultBadge result={evidence.result} />
                </TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(evidence.from, timeZone)}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(evidence.to, timeZone)}</TableCell>
              </TableRow>
            );
          })}
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
