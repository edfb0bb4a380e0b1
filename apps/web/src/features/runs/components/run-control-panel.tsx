import type { RunBatch, SkippedWindows } from "@status/shared";
import { useState } from "react";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { browserTimeZone } from "@/lib/format.ts";
import { useRunControl } from "../api/run-control.ts";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { RunBatchProgress } from "./run-batch-progress.tsx";
import { SkippedWindowsNotice } from "./skipped-windows.tsx";
import { RunRangeForm } from "./run-range-form.tsx";
import { runsPath } from "../utils/runs-path.ts";

interface RunControlPanelProps {
  controlId: string;
  /** The catalog's time zone: range inputs are read in it and windows shown in it. */
  timeZone?: string | undefined;
  /** Called when every run of a batch started here has finished, to refresh what the runs computed. */
  onBatchDone?: (batch: RunBatch) => void;
  createEventSource?: EventSourceFactory;
}

/** "Run now" (the latest closed window) or a range of windows, then the batch's live progress. Any signed-in role. */
export function RunControlPanel({ controlId, timeZone, onBatchDone, createEventSource }: RunControlPanelProps) {
  const [batchId, setBatchId] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<SkippedWindows[]>([]);
  const [isRangeOpen, setIsRangeOpen] = useState(false);
  const runMutation = useRunControl({
    onSuccess: (created) => {
      setBatchId(created.batch.id);
      setSkipped(created.skipped);
    },
  });
  const isRunNowError = runMutation.isError && !isRangeOpen;

  return (
    <section aria-labelledby="run-control-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="run-control-heading" className="text-lg font-semibold">
          Run
        </h2>
        <Link to={runsPath({ controlId })} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          All runs of this control →
        </Link>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        <Button
          isLoading={runMutation.isPending && !isRangeOpen}
          disabled={runMutation.isPending}
          onClick={() => runMutation.mutate({ controlId, body: {} })}
        >
          Run now
        </Button>
        <Button
          variant="secondary"
          aria-expanded={isRangeOpen}
          onClick={() => {
            runMutation.reset();
            setIsRangeOpen((open) => !open);
          }}
        >
          Run a range
        </Button>
        {isRunNowError && (
          <Alert title="The control was not run" className="min-w-0 flex-1 basis-64">
            {runMutation.error.message}
          </Alert>
        )}
      </div>
      {isRangeOpen && (
        <RunRangeForm
          controlId={controlId}
          timeZone={timeZone ?? browserTimeZone()}
          runMutation={runMutation}
          onRun={() => setIsRangeOpen(false)}
          onCancel={() => setIsRangeOpen(false)}
        />
      )}
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
    </section>
  );
}
