import type { ImportPreview, ImportProblem } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatCount } from "@/lib/format.ts";

/** Where a problem is: the sheet's row (and column), or the JSON path in the OSCAL document. */
export function problemLocation(problem: Pick<ImportProblem, "row" | "column" | "path">): string {
  if (problem.row !== null)
    return problem.column ? `Row ${problem.row}, column ${problem.column}` : `Row ${problem.row}`;
  return problem.path ?? "Whole document";
}

export function ImportProblems({ problems }: { problems: readonly ImportProblem[] }) {
  if (problems.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No problems found.</p>;
  return (
    <Table aria-label="Problems">
      <TableHead>
        <tr>
          <TableHeaderCell>Severity</TableHeaderCell>
          <TableHeaderCell>Where</TableHeaderCell>
          <TableHeaderCell>Problem</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {problems.map((problem, index) => (
          <TableRow key={index}>
            <TableCell>
              <Badge tone={problem.severity === "error" ? "danger" : "warning"}>
                {problem.severity === "error" ? "Error" : "Warning"}
              </Badge>
            </TableCell>
            <TableCell className="font-mono text-xs">{problemLocation(problem)}</TableCell>
            <TableCell>
              {problem.message} <span className="text-xs text-zinc-500">({problem.code})</span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500 uppercase">{label}</dt>
      <dd className="text-lg font-medium">{value}</dd>
    </div>
  );
}

/** A dry run's answer: the framework it describes, the counts, the first rows as stored, and every problem. */
export function ImportPreviewView({ preview }: { preview: ImportPreview }) {
  const { framework, counts, firstRequirements, problems } = preview;
  const errorCount = problems.filter((problem) => problem.severity === "error").length;
  return (
    <section aria-label="Import preview" className="space-y-4">
      <p className="text-sm">
        <span className="font-medium">
          {framework.name} {framework.version}
        </span>{" "}
        {framework.oscalVersion && <>(OSCAL {framework.oscalVersion}) </>}
        {framework.existingFrameworkId
          ? "is imported already: importing updates it in place by requirement id."
          : "is new."}
      </p>
      <dl className="grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
        <Count label="Requirements" value={counts.requirements} />
        <Count label="Top level" value={counts.topLevel} />
        <Count label="With a parent" value={counts.children} />
        <Count label="Groups" value={counts.groups} />
        <Count label="Parameters" value={counts.params} />
        <Count label="New" value={counts.created} />
        <Count label="Changed" value={counts.updated} />
        <Count label="Unchanged" value={counts.unchanged} />
      </dl>
      <h3 className="font-medium">
        Problems{" "}
        {problems.length > 0 &&
          `(${formatCount(errorCount, "error")}, ${formatCount(problems.length - errorCount, "warning")})`}
      </h3>
      <ImportProblems problems={problems} />
      <h3 className="font-medium">First rows as they will be stored</h3>
      {firstRequirements.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No requirements.</p>
      ) : (
        <Table aria-label="First requirements">
          <TableHead>
            <tr>
              <TableHeaderCell>Id</TableHeaderCell>
              <TableHeaderCell>Title</TableHeaderCell>
              <TableHeaderCell>Group</TableHeaderCell>
              <TableHeaderCell>Parent</TableHeaderCell>
              <TableHeaderCell>Statement</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {firstRequirements.map((requirement) => (
              <TableRow key={requirement.key}>
                <TableCell className="font-mono text-xs whitespace-nowrap">
                  {requirement.label ?? requirement.key}
                </TableCell>
                <TableCell>{requirement.title}</TableCell>
                <TableCell>{requirement.groupId ?? "—"}</TableCell>
                <TableCell>{requirement.parentKey ?? "—"}</TableCell>
                <TableCell className="max-w-md truncate" title={requirement.statement}>
                  {requirement.statement || "—"}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
