import type { PointException } from "@status/shared";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDate, formatWindow } from "@/lib/format.ts";
import { useControlExceptions, useRevokeException } from "../api/control-exceptions.ts";

interface ControlExceptionsProps {
  controlId: string;
  canHandle: boolean;
  timeZone?: string | undefined;
  onHandled?: (() => void) | undefined;
}

const STATUS_TONE = { active: "info", expired: "neutral", revoked: "warning" } as const;

function RevokeForm({ exception, onHandled }: { exception: PointException; onHandled?: (() => void) | undefined }) {
  const [reason, setReason] = useState("");
  const [isOpen, setIsOpen] = useState(false);
  const revoke = useRevokeException(exception.controlId, onHandled);
  if (!isOpen)
    return (
      <Button size="sm" variant="ghost" onClick={() => setIsOpen(true)}>
        Revoke
      </Button>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    revoke.mutate({ exceptionId: exception.id, reason });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2" aria-label="Revoke the exception">
      <Input
        aria-label="Reason"
        placeholder="Why it no longer holds"
        required
        maxLength={2000}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        className="w-56"
      />
      <Button type="submit" size="sm" variant="danger" isLoading={revoke.isPending}>
        Revoke
      </Button>
      {revoke.isError && <Alert>{revoke.error.message}</Alert>}
    </form>
  );
}

/** The control's exceptions, active and past (expired, revoked: kept, never deleted), with Revoke on active ones. */
export function ControlExceptions({ controlId, canHandle, timeZone, onHandled }: ControlExceptionsProps) {
  const exceptionsQuery = useControlExceptions(controlId);
  return (
    <div className="space-y-2">
      <h3 className="font-semibold">Exceptions</h3>
      {exceptionsQuery.isPending && <Spinner size="sm" label="Loading exceptions" />}
      {exceptionsQuery.isError && <Alert>{exceptionsQuery.error.message}</Alert>}
      {exceptionsQuery.data?.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No exception was ever recorded for this control.</p>
      )}
      {exceptionsQuery.data && exceptionsQuery.data.length > 0 && (
        <Table aria-label="Exceptions">
          <TableHead>
            <tr>
              <TableHeaderCell>Window</TableHeaderCell>
              <TableHeaderCell>Justification</TableHeaderCell>
              <TableHeaderCell>Approver</TableHeaderCell>
              <TableHeaderCell>Until</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              {canHandle && (
                <TableHeaderCell>
                  <span className="sr-only">Actions</span>
                </TableHeaderCell>
              )}
            </tr>
          </TableHead>
          <TableBody>
            {exceptionsQuery.data.map((exception) => (
              <TableRow key={exception.id}>
                <TableCell className="whitespace-nowrap">
                  {formatWindow(exception.windowStart, exception.windowEnd, timeZone)}
                </TableCell>
                <TableCell>
                  {exception.justification}
                  {exception.revokeReason && (
                    <p className="text-xs text-zinc-500 dark:text-zinc-400">
                      Revoked by {exception.revokedByName}: {exception.revokeReason}
                    </p>
                  )}
                </TableCell>
                <TableCell>{exception.approverName}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDate(exception.expiresAt, timeZone)}</TableCell>
                <TableCell>
                  <Badge tone={STATUS_TONE[exception.status]}>{exception.status}</Badge>
                </TableCell>
                {canHandle && (
                  <TableCell>
                    {exception.status === "active" && <RevokeForm exception={exception} onHandled={onHandled} />}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
