import type { Control, EvidenceImportResult } from "@status/shared";
import { useState } from "react";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Select } from "@/components/ui/input.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatCount, formatPercent } from "@/lib/format.ts";

/** Per control: how many results it gets and the value its submission would have. */
function MappedControls({ preview }: { preview: EvidenceImportResult }) {
  if (preview.controls.length === 0)
    return <p className="text-sm">No result of this file maps to a control yet: map its rule ids below.</p>;
  return (
    <Table aria-label="Mapped per control">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Control</TableHeaderCell>
          <TableHeaderCell>Pass</TableHeaderCell>
          <TableHeaderCell>Fail</TableHeaderCell>
          <TableHeaderCell>Skip</TableHeaderCell>
          <TableHeaderCell>Error</TableHeaderCell>
          <TableHeaderCell>Value</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {preview.controls.map((control) => (
          <TableRow key={control.controlId}>
            <TableCell>
              {control.controlName} {!control.isPush && <Badge tone="danger">not a push control</Badge>}
            </TableCell>
            <TableCell>{control.counts.pass}</TableCell>
            <TableCell>{control.counts.fail}</TableCell>
            <TableCell>{control.counts.skip}</TableCell>
            <TableCell>{control.counts.error}</TableCell>
            <TableCell>
              {formatPercent(control.passRatio)} {control.isAllPass ? <Badge tone="success">all pass</Badge> : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One unmapped rule id with the quick action that maps it (exactly, for this format) to a push control. */
function UnmappedRule({
  rule,
  controls,
  isMapping,
  onMap,
}: {
  rule: EvidenceImportResult["unmapped"][number];
  controls: Control[];
  isMapping: boolean;
  onMap: (ruleId: string, controlId: string) => void;
}) {
  const [controlId, setControlId] = useState("");
  const label = `Control for ${rule.ruleId}`;
  return (
    <li className="flex flex-wrap items-center gap-2 py-1.5">
      <span className="min-w-0 flex-1 text-sm">
        <code className="text-xs break-all">{rule.ruleId}</code>
        {rule.title !== rule.ruleId && <span className="text-zinc-500 dark:text-zinc-400"> — {rule.title}</span>} (
        {formatCount(rule.count, "result")})
      </span>
      <Select
        aria-label={label}
        className="w-56"
        value={controlId}
        onChange={(event) => setControlId(event.target.value)}
      >
        <option value="">Choose a push control…</option>
        {controls.map((control) => (
          <option key={control.id} value={control.id}>
            {control.name}
          </option>
        ))}
      </Select>
      <Button
        variant="secondary"
        disabled={!controlId || isMapping}
        aria-label={`Map ${rule.ruleId}`}
        onClick={() => onMap(rule.ruleId, controlId)}
      >
        Map
      </Button>
    </li>
  );
}

export function ScannerPreview({
  preview,
  controls,
  isMapping,
  onMap,
}: {
  preview: EvidenceImportResult;
  controls: Control[];
  isMapping: boolean;
  onMap: (ruleId: string, controlId: string) => void;
}) {
  return (
    <div className="space-y-4">
      <p role="status" className="text-sm">
        {formatCount(preview.resultCount, "result")}
        {preview.tool ? ` from ${preview.tool}` : ""}: {formatCount(preview.controls.length, "control")} mapped,{" "}
        {formatCount(preview.unmapped.length, "rule id")} unmapped.
      </p>
      <MappedControls preview={preview} />
      {preview.unmapped.length > 0 && (
        <section aria-label="Unmapped rule ids">
          <h3 className="text-sm font-medium">Unmapped rule ids (not imported)</h3>
          {controls.length === 0 && (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">The catalog has no push control to map them to.</p>
          )}
          <ul className="max-h-64 divide-y divide-zinc-200 overflow-y-auto dark:divide-zinc-800">
            {preview.unmapped.map((rule) => (
              <UnmappedRule key={rule.ruleId} rule={rule} controls={controls} isMapping={isMapping} onMap={onMap} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
