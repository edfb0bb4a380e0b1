import type { Archive } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { formatDateTime } from "@/lib/format.ts";

/** "Archived on … by …: reason", above an archived catalog's or control's page. */
export function ArchiveBanner({
  archive,
  what,
  timeZone,
}: {
  archive: Archive;
  what: string;
  timeZone?: string | undefined;
}) {
  const by = archive.archivedByName ?? "a deleted user";
  return (
    <Alert
      variant="info"
      className="mb-6"
      title={`Archived on ${formatDateTime(archive.archivedAt, timeZone)} by ${by}`}
    >
      <p>{archive.reason}</p>
      <p className="mt-1 text-xs">
        The {what} is no longer evaluated and cannot be changed; everything it recorded stays readable, exportable and
        verifiable. Restore it to resume.
      </p>
    </Alert>
  );
}
