import type { Period } from "@status/shared";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Alert } from "@/components/ui/alert.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Textarea } from "@/components/ui/input.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useNextControlVersion } from "../api/get-next-control-version.ts";

interface VersionImpactNoteProps {
  controlId: string;
  /** The period the change sets (the new version's windows start on its boundaries); default: the current one. */
  period?: Period | undefined;
  /** What is being changed, e.g. "the period, threshold, mashup or parameters" or "the scope sets". */
  subject: string;
  timeZone?: string | undefined;
}

/**
 * Says what saving a result-deciding change of a finalized control does: which version it creates and the window it
 * takes effect from (the next one not yet evaluated), and that what was recorded keeps its own version.
 */
export function VersionImpactNote({ controlId, period, subject, timeZone }: VersionImpactNoteProps) {
  const nextQuery = useNextControlVersion(controlId, period);
  const next = nextQuery.data;
  if (!next?.isVersioned) {
    return nextQuery.isError ? (
      <Alert variant="info">
        Changing {subject} creates a new version of this finalized control; where it takes effect could not be read.
      </Alert>
    ) : null;
  }
  const from = next.effectiveFrom
    ? `from the window starting ${formatDateTime(next.effectiveFrom, timeZone)}, the next one not yet evaluated`
    : "from the control's first window, since none has been evaluated yet";
  return (
    <Alert variant="info" title={`Changing ${subject} creates version ${next.nextVersion}`}>
      <p>
        It takes effect {from}. Windows before it — a backfill too — stay under version {next.currentVersion}, and the
        points already recorded keep the version and threshold they were computed with. Name, description and dates
        change without a new version.
      </p>
    </Alert>
  );
}

/** The reason a result-deciding change needs; kept with the version and shown in the control's history. */
export function ChangeReasonField({
  registration,
  error,
}: {
  registration: UseFormRegisterReturn;
  error?: string | undefined;
}) {
  return (
    <FormField
      label="Reason for the change"
      hint="Required when the change creates a version; auditors read it in the version history."
      error={error}
    >
      {(control) => <Textarea {...control} rows={2} {...registration} />}
    </FormField>
  );
}
