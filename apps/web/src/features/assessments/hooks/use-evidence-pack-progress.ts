import { EvidencePackSchema, type EvidencePack } from "@status/shared";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { useLiveJob } from "@/lib/use-live-job.ts";
import { assessmentKeys } from "../api/assessment-keys.ts";
import { evidencePackEventsUrl, getEvidencePack } from "../api/evidence-packs.ts";

export function isPackFinished(pack: EvidencePack): boolean {
  return pack.status === "done" || pack.status === "failed" || pack.status === "expired";
}

/**
 * The live state of a pack being built: from its Server-Sent Events stream (`event: pack`) while that works, else by
 * polling GET /evidence-packs/:id every second (an API without the stream answers 404, which EventSource reports as
 * an error). Mount with `key={packId}`.
 */
export function useEvidencePackProgress(
  packId: string,
  options: { createEventSource?: EventSourceFactory | undefined; onFinished?: (pack: EvidencePack) => void } = {},
) {
  const { job, isPolling, error } = useLiveJob(
    {
      queryKey: assessmentKeys.pack(packId),
      fetch: (signal) => getEvidencePack(packId, signal),
      eventsUrl: evidencePackEventsUrl(packId),
      eventName: "pack",
      schema: EvidencePackSchema,
      isFinished: isPackFinished,
    },
    options,
  );
  return { pack: job, isPolling, error };
}
