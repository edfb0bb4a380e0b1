import type { Control } from "@status/shared";
import type { ReactNode } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDate, formatDateTime } from "@/lib/format.ts";

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">{term}</dt>
      <dd className="mt-1 text-sm">{children}</dd>
    </div>
  );
}

function formatParam(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

interface ControlDefinitionProps {
  control: Control;
  /** The catalog's time zone, where the control's dates start at midnight; the viewer's when unknown. */
  timeZone?: string | undefined;
}

/** What the control evaluates: its description, dates and the parameters passed to its mashup. */
export function ControlDefinition({ control, timeZone }: ControlDefinitionProps) {
  const params = Object.entries(control.params);
  return (
    <section
      aria-labelledby="control-definition-heading"
      className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="control-definition-heading" className="mb-3 text-lg font-semibold">
        Definition
      </h2>
      {control.description ? (
        <p className="mb-5 text-sm whitespace-pre-line">{control.description}</p>
      ) : (
        <p className="mb-5 text-sm text-zinc-500 italic dark:text-zinc-400">No description.</p>
      )}
      <dl className="mb-5 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Detail term="Starts">
          {control.startDate ? formatDate(control.startDate, timeZone) : "With the catalog"}
        </Detail>
        <Detail term="Ends">{control.endDate ? formatDate(control.endDate, timeZone) : "With the catalog"}</Detail>
        <Detail term="Created">{formatDateTime(control.createdAt)}</Detail>
        <Detail term="Updated">{formatDateTime(control.updatedAt)}</Detail>
      </dl>
      <h3 className="mb-2 text-sm font-semibold">Parameters</h3>
      {control.kind === "push" ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          A push control: no mashup and no parameters; its evidence is sent to it.
        </p>
      ) : params.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">The mashup gets no parameters.</p>
      ) : (
        <Table aria-label="Parameters">
          <TableHead>
            <tr>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Value</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {params.map(([name, value]) => (
              <TableRow key={name}>
                <TableCell>
                  <code className="text-xs">{name}</code>
                </TableCell>
                <TableCell className="break-all">
                  <code className="text-xs">{formatParam(value)}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
