import type { RunBatch } from "@status/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { formatCount } from "@/lib/format.ts";
import { runControl } from "../api/run-control.ts";
import { runKeys } from "../api/run-keys.ts";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { RunBatchProgress } from "./run-batch-progress.tsx";

interface Started {
  controlId: string;
  name: string;
  batchId: string;
}

interface RunSelectedProps {
  controls: readonly { id: string; name: string }[];
  timeZone?: string | undefined;
  onBatchDone?: (batch: RunBatch) => void;
  createEventSource?: EventSourceFactory;
}

/** Runs each selected control (its latest closed window), one batch each, and follows every batch's progress. */
export function RunSelected({ controls, timeZone, onBatchDone, createEventSource }: RunSelectedProps) {
  const [started, setStarted] = useState<Started[]>([]);
  const [failures, setFailures] = useState<string[]>([]);
  const [isStarting, setIsStarting] = useState(false);
  const queryClient = useQueryClient();

  const runAll = async () => {
    setIsStarting(true);
    setStarted([]);
    setFailures([]);
    // One after another: a handful of requests, and the order of the progress bars follows the selection.
    for (const control of controls) {
      try {
        const created = await runControl({ controlId: control.id, body: {} });
        queryClient.setQueryData(runKeys.batch(created.batch.id), created.batch);
        setStarted((current) => [...current, { controlId: control.id, name: control.name, batchId: created.batch.id }]);
      } catch (error) {
        setFailures((current) => [
          ...current,
          `${control.name}: ${error instanceof Error ? error.message : "not started"}`,
        ]);
      }
    }
    setIsStarting(false);
    await queryClient.invalidateQueries({ queryKey: runKeys.lists() });
  };

  return (
    <div className="space-y-3">
      <Button size="sm" disabled={controls.length === 0} isLoading={isStarting} onClick={() => void runAll()}>
        Run selected ({controls.length})
      </Button>
      {failures.length > 0 && (
        <Alert title={`${formatCount(failures.length, "control")} could not be run`}>
          <ul className="list-disc pl-5">
            {failures.map((failure) => (
              <li key={failure}>{failure}</li>
            ))}
          </ul>
        </Alert>
      )}
      {started.length > 0 && (
        <ul className="space-y-2" aria-label="Runs of the selected controls">
          {started.map((run) => (
            <li key={run.batchId} className="space-y-1">
              <p className="text-sm font-medium">{run.name}</p>
              <RunBatchProgress
                batchId={run.batchId}
                timeZone={timeZone}
                {...(onBatchDone ? { onDone: onBatchDone } : {})}
                {...(createEventSource ? { createEventSource } : {})}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
