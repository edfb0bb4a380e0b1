import { hasRole, type Point } from "@status/shared";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { browserTimeZone, zonedMidnightToIso } from "@/lib/format.ts";
import { useRecordException } from "../api/control-exceptions.ts";
import { usePeople } from "../api/get-people.ts";
import { personName } from "./control-ownership.tsx";

interface ExceptionFormProps {
  point: Pick<Point, "id" | "controlId">;
  timeZone?: string | undefined;
  onHandled?: (() => void) | undefined;
}

/** The server's message for one field of a 400 problem, if it named that field. */
function fieldError(error: unknown, path: string): string | undefined {
  return isApiError(error) ? error.errors.find((issue) => issue.path === path)?.message : undefined;
}

/**
 * Records an accepted exception for a failing point: why, who approves (a DEVELOPER or ADMIN) and the date it ends
 * (midnight in the catalog's time zone). The point stays a failure in the record.
 */
export function ExceptionForm({ point, timeZone, onHandled }: ExceptionFormProps) {
  const [justification, setJustification] = useState("");
  const [approverId, setApproverId] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const approvers = (usePeople("").data ?? []).filter((person) => hasRole(person.role, "DEVELOPER"));
  const record = useRecordException(point.controlId, onHandled);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate({
      pointId: point.id,
      justification,
      approverId,
      expiresAt: zonedMidnightToIso(expiresOn, timeZone ?? browserTimeZone()),
    });
  };
  const otherError = record.isError && !isApiError(record.error, "validation_failed") ? record.error.message : null;
  return (
    <form onSubmit={submit} aria-label="Record an exception" className="space-y-3">
      <h4 className="text-sm font-semibold">Record an exception</h4>
      <FormField label="Justification" error={fieldError(record.error, "body.justification")}>
        {(control) => (
          <Textarea
            {...control}
            required
            maxLength={2000}
            value={justification}
            onChange={(event) => setJustification(event.target.value)}
          />
        )}
      </FormField>
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="Approver" error={fieldError(record.error, "body.approverId")}>
          {(control) => (
            <Select {...control} required value={approverId} onChange={(event) => setApproverId(event.target.value)}>
              <option value="">Choose an approver</option>
              {approvers.map((person) => (
                <option key={person.id} value={person.id}>
                  {personName(person)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField label="Expires on" error={fieldError(record.error, "body.expiresAt")}>
          {(control) => (
            <Input
              {...control}
              type="date"
              required
              value={expiresOn}
              onChange={(event) => setExpiresOn(event.target.value)}
            />
          )}
        </FormField>
      </div>
      {otherError && <Alert>{otherError}</Alert>}
      {record.isSuccess && <Alert variant="info">Exception recorded; the point stays a failure in the record.</Alert>}
      <Button type="submit" size="sm" isLoading={record.isPending}>
        Record exception
      </Button>
    </form>
  );
}
