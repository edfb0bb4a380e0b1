import type { ImportJob } from "@status/shared";
import { ProgressBar } from "@/components/ui/progress-bar.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatCount } from "@/lib/format.ts";

function JobProgress({ job }: { job: ImportJob }) {
  const { processed, total } = job;
  const fraction = total ? processed / total : 0;
  const text =
    job.status === "queued"
      ? "Waiting for a worker"
      : total === null
        ? "Reading the document"
        : `${processed} of ${formatCount(total, "requirement")} stored`;
  return (
    <>
      <ProgressBar label="Import job" value={fraction} valueText={text} />
      <p className="flex items-center gap-2">
        <Spinner size="sm" /> Import job: {text}
        {job.attempts > 1 && ` (attempt ${job.attempts}: its worker stopped and another took it over)`}
      </p>
    </>
  );
}

/**
 * A running import or dry run: the upload as the browser measures it, then the server's work. A small import is
 * answered in one response, so that part is shown as under way; a large one runs as a job on the server, whose
 * progress (requirements stored of the total) is polled and shown as a second bar.
 */
export function ImportProgress({
  uploaded,
  action,
  job,
}: {
  uploaded: number;
  action: string;
  job?: ImportJob | null;
}) {
  const isUploaded = uploaded >= 1 || Boolean(job);
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800">
      <ProgressBar
        label="Upload"
        value={isUploaded ? 1 : uploaded}
        valueText={isUploaded ? "Uploaded" : `${Math.round(uploaded * 100)} % uploaded`}
      />
      {job ? (
        <JobProgress job={job} />
      ) : (
        <p className="flex items-center gap-2">
          {isUploaded ? (
            <>
              <Spinner size="sm" /> {action} on the server…
            </>
          ) : (
            `Uploading: ${Math.round(uploaded * 100)} %`
          )}
        </p>
      )}
    </div>
  );
}
