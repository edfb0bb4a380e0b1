/**
 * Delivers run ids to workers. The database holds the runs and their state; a queue only says "look at this run",
 * so a lost or repeated delivery is harmless (the sweeper re-delivers, and claiming a run is atomic).
 * BullMQ on Redis/Dragonfly lets workers run as separate processes on many machines; the in-process queue serves
 * the embedded default. Besides run ids it carries framework import jobs as `framework-import:<job id>` (the engine
 * tells them apart); the same rule holds for them: the job is in Postgres, the delivery only points at it.
 */
export interface RunQueue {
  readonly kind: "bullmq" | "memory";
  /**
   * Asks for the runs to be processed, after `delayMs` when given. Never waits on the queue's server: the runs are
   * in Postgres already, and what the queue does not take is retried here and, at worst, delivered by the sweeper.
   */
  enqueue(runIds: readonly string[], delayMs?: number): Promise<void>;
  /** Starts consuming in this process with at most `concurrency` runs at once. */
  startWorker(handler: (runId: string) => Promise<void>, concurrency: number): void;
  /** Stops consuming (shutdown): no new deliveries; resolves once the handlers in flight have returned. */
  stopWorker(): Promise<void>;
  /** Deliveries waiting (not yet handed to a handler), for health and benchmarks. */
  waitingCount(): Promise<number>;
  close(): Promise<void>;
}
