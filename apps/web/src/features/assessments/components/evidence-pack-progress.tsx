import type { EvidencePack } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { ProgressBar } from "@/components/ui/progress-bar.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { SessionDownloadLink } from "@/components/ui/session-download-link.tsx";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { formatBytes } from "@/lib/format.ts";
import { evidencePackDownloadUrl } from "../api/evidence-packs.ts";
import { useEvidencePackProgress } from "../hooks/use-evidence-pack-progress.ts";
import { packStageText } from "./pack-labels.tsx";

interface EvidencePackProgressProps {
  packId: string;
  onFinished?: (pack: EvidencePack) => void;
  createEventSource?: EventSourceFactory;
}

/** A pack being built: the worker's stage and progress, then its download link, or why it failed. */
export function EvidencePackProgress({ packId, onFinished, createEventSource }: EvidencePackProgressProps) {
  const { pack, isPolling, error } = useEvidencePackProgress(packId, { onFinished, createEventSource });
  if (!pack) {
    if (error) return <Alert title="The pack's progress could not be loaded">{error.message}</Alert>;
    return <Spinner label="Starting the pack" />;
  }
  const stage = packStageText(pack);
  return (
    <div className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p role="status" className="flex items-center gap-2 font-medium">
          {(pack.status === "queued" || pack.status === "running") && <Spinner size="sm" />}
          {pack.status === "done" ? "The evidence pack is ready" : `${stage}…`}
          {pack.attempts > 1 && pack.status !== "done" && ` (attempt ${pack.attempts})`}
        </p>
        {pack.status !== "done" && pack.status !== "failed" && (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            {isPolling ? "Checking every second" : "Live"}
          </span>
        )}
      </div>
      <ProgressBar
        value={pack.progress / 100}
        label="Evidence pack progress"
        valueText={`${pack.progress} %: ${stage}`}
        tone={pack.status === "done" ? "success" : pack.status === "failed" ? "danger" : "accent"}
      />
      {pack.status === "failed" && (
        <Alert title="The pack could not be built">{pack.error ?? "No reason given."}</Alert>
      )}
      {pack.status === "done" && (
        <SessionDownloadLink
          href={evidencePackDownloadUrl(pack.id)}
          download
          className={buttonVariants({ size: "sm" })}
        >
          Download the evidence pack{pack.sizeBytes !== null && ` (${formatBytes(pack.sizeBytes)})`}
        </SessionDownloadLink>
      )}
    </div>
  );
}
