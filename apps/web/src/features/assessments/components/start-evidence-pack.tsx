import type { AssessmentPeriodQuery } from "@status/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { assessmentKeys } from "../api/assessment-keys.ts";
import { useCreateEvidencePack } from "../api/evidence-packs.ts";
import { EvidencePackProgress } from "./evidence-pack-progress.tsx";

interface StartEvidencePackProps {
  catalogId: string;
  /** Null while the picked period is not valid. */
  period: AssessmentPeriodQuery | null;
  createEventSource?: EventSourceFactory;
}

/** Starts a signed evidence pack of the period and follows it until it can be downloaded. */
export function StartEvidencePack({ catalogId, period, createEventSource }: StartEvidencePackProps) {
  const queryClient = useQueryClient();
  const createPack = useCreateEvidencePack(catalogId);
  const [packId, setPackId] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <Button
        disabled={period === null}
        isLoading={createPack.isPending}
        onClick={() => {
          if (period) createPack.mutate(period, { onSuccess: (pack) => setPackId(pack.id) });
        }}
      >
        Build an evidence pack
      </Button>
      {createPack.error && <Alert title="The pack was not started">{createPack.error.message}</Alert>}
      {packId && (
        <EvidencePackProgress
          key={packId}
          packId={packId}
          createEventSource={createEventSource}
          // The list shows the finished pack's size and digests.
          onFinished={() => void queryClient.invalidateQueries({ queryKey: assessmentKeys.packList(catalogId) })}
        />
      )}
    </div>
  );
}
