import { Fragment, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatWindow } from "@/lib/format.ts";
import { FAILING_POINT_LIMIT, useFailingPoints } from "../api/point-handling.ts";
import { ControlExceptions } from "./control-exceptions.tsx";
import { HandlePanel } from "./handle-panel.tsx";
import { HandlingBadge } from "./handling-badge.tsx";

interface ControlFailuresProps {
  controlId: string;
  /** DEVELOPER and above, on a control that is not archived. */
  canHandle: boolean;
  timeZone?: string | undefined;
  /** Refreshes what the page shows elsewhere (computations, timeline), which carry the handling too. */
  onHandled?: (() => void) | undefined;
}

function scopeLabel(scope: Record<string, unknown>): string {
  const entries = Object.entries(scope);
  return entries.length === 0 ? "—" : entries.map(([key, value]) => `${key}: ${String(value)}`).join(", ");
}

/** The control's failing points with how each is handled, a Handle panel per point, and its exceptions. */
export function ControlFailures({ controlId, canHandle, timeZone, onHandled }: ControlFailuresProps) {
  const pointsQuery = useFailingPoints(controlId);
  const [openPointId, setOpenPointId] = useState<string | null>(null);
  const points = pointsQuery.data ?? [];
  return (
    <section aria-labelledby="failures-heading" className="space-y-3">
      <h2 id="failures-heading" className="text-lg font-semibold">
        Failures and their handling
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A failure stays a failure in the record and in exports; comments, acknowledgements and accepted exceptions say
        how it is being handled. The newest {FAILING_POINT_LIMIT} failing windows are listed.
      </p>
      {pointsQuery.isPending && <Spinner label="Loading failing points" />}
      {pointsQuery.isError && <Alert>{pointsQuery.error.message}</Alert>}
      {pointsQuery.isSuccess && points.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No recorded window of this control failed.</p>
      )}
      {points.length > 0 && (
        <Table aria-label="Failing points">
          <TableHead>
            <tr>
              <TableHeaderCell>Window</TableHeaderCell>
              <TableHeaderCell>Scope</TableHeaderCell>
              <TableHeaderCell>Handling</TableHeaderCell>
              <TableHeaderCell>
                <span className="sr-only">Actions</span>
              </TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {points.map((point) => {
              const isOpen = point.id === openPointId;
              const window = formatWindow(point.windowStart, point.windowEnd, timeZone);
              return (
                <Fragment key={point.id}>
                  <TableRow>
                    <TableCell className="whitespace-nowrap">{window}</TableCell>
                    <TableCell>{scopeLabel(point.scope)}</TableCell>
                    <TableCell>
                      <HandlingBadge handling={point.handling} timeZone={timeZone} />
                    </TableCell>
                    <TableCell className="text-right">
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-expanded={isOpen}
                        aria-label={`Handle ${window}`}
                        onClick={() => setOpenPointId(isOpen ? null : point.id)}
                      >
                        {isOpen ? "Close" : "Handle"}
                      </Button>
                    </TableCell>
                  </TableRow>
                  {isOpen && (
                    <tr>
                      <td colSpan={4} className="bg-zinc-50 px-4 py-4 dark:bg-zinc-950/40">
                        <section aria-label={`Handling of ${window}`}>
                          <HandlePanel point={point} canHandle={canHandle} timeZone={timeZone} onHandled={onHandled} />
                        </section>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      )}
      <ControlExceptions controlId={controlId} canHandle={canHandle} timeZone={timeZone} onHandled={onHandled} />
    </section>
  );
}
