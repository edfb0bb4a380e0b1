import type { RunBatch, SkippedWindows } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useRunCatalog } from "../api/run-catalog.ts";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { RunBatchProgress } from "./run-batch-progress.tsx";
import { SkippedWindowsNotice } from "./skipped-windows.tsx";

interface RunCatalogPanelProps {
  catalogId: string;
  timeZone?: string | undefined;
  onBatchDone?: (batch: RunBatch) => void;
  createEventSource?: EventSourceFactory;
}

/** "Run all": the latest closed window of every control with a mashup, one batch, with its live progress bar. */
export function RunCatalogPanel({ catalogId, timeZone, onBatchDone, createEventSource }: RunCatalogPanelProps) {
  const [batchId, setBatchId] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<SkippedWindows[]>([]);
  const runMutation = useRunCatalog({
    onSuccess: (created) => {
      setBatchId(created.batch.id);
      setSkipped(created.skipped);
    },
  });
  return (
    <div className="space-y-3">
      <Button isLoading={runMutation.isPending} onClick={() => runMutation.mutate({ catalogId, body: {} })}>
        Run all
      </Button>
      {runMutation.isError && <Alert title="The catalog was not run">{runMutation.error.message}</Alert>}
      {batchId && <SkippedWindowsNotice skipped={skipped} />}
      {batchId && (
        <RunBatchProgress
          key={batchId}
          batchId={batchId}
          timeZone={timeZone}
          {...(onBatchDone ? { onDone: onBatchDone } : {})}
          {...(createEventSource ? { createEventSource } : {})}
        />
      )}
    </div>
  );
}
