import { ProgressBar } from "@/components/ui/progress-bar.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";

/**
 * A running import or dry run: the upload as the browser measures it, then the server's work, which the API
 * answers in one response (it reports no progress of its own), so that part is shown as under way, not as a fraction.
 */
export function ImportProgress({ uploaded, action }: { uploaded: number; action: string }) {
  const isUploaded = uploaded >= 1;
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800">
      <ProgressBar
        label="Upload"
        value={uploaded}
        valueText={isUploaded ? "Uploaded" : `${Math.round(uploaded * 100)} % uploaded`}
      />
      <p className="flex items-center gap-2">
        {isUploaded ? (
          <>
            <Spinner size="sm" /> {action} on the server…
          </>
        ) : (
          `Uploading: ${Math.round(uploaded * 100)} %`
        )}
      </p>
    </div>
  );
}
