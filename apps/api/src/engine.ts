import type { AppDeps } from "./deps.ts";
import { isImportJobDelivery, processImportJobDelivery, redeliverLostImportJobs } from "./modules/frameworks/index.ts";
import { startEvidencePackWorker } from "./modules/assessments/index.ts";
import { createRunProcessor, redeliverLostRuns, scheduleDueWindows } from "./modules/evaluation/index.ts";
import { closeDuePushWindows } from "./modules/evidence-push/index.ts";
import { publishDueCatalogs, syncClosedWindows } from "./modules/registry/index.ts";
import { flushDigests, mailChannel } from "./modules/mail/index.ts";
import { pruneExpiredRecords } from "./modules/retention/index.ts";
import { dispatchPendingEvents, sweepAlertStates, type EventChannel } from "./modules/events/index.ts";
import { createWebhookOutbound, deliverDueWebhooks, webhookChannel } from "./modules/webhooks/index.ts";
import { createSharedIdle, startPollLoop } from "./lib/poll-loop.ts";
import { openMashupLimiter } from "./queue/open-mashup-limiter.ts";

/** The reaper looks for runs whose lease ran out this often (or every third of the lease, when that is shorter). */
const MAINTENANCE_INTERVAL_MS = 5_000;
/** How often the engine asks whether the daily pruning is due (a lease in Postgres lets one process do it a day). */
const RETENTION_CHECK_INTERVAL_MS = 15 * 60_000;
/** Webhook delivery loops per worker process (they share WEBHOOK_CONCURRENCY). */
const DELIVERY_LOOPS = 4;

export interface EngineRoles {
  /** Work runs in this process. */
  isWorker: boolean;
  /** Schedule closed windows and take back runs of dead workers. */
  isScheduler: boolean;
}

/**
 * Starts the parts of the computation engine this process runs. Every part is idempotent (atomic claims, unique
 * scheduled windows), so several processes may run them at once; a cache lock just keeps them from doing the same
 * tick twice.
 */
export function startEngine(deps: AppDeps, roles: EngineRoles): { stop: (timeoutMs?: number) => Promise<void> } {
  const timers: NodeJS.Timeout[] = [];
  // Per-mashup limits hold across workers through Redis when configured (in this process on the embedded default).
  const limiter = roles.isWorker ? openMashupLimiter(deps.config.redis, deps.log) : undefined;
  const processor = limiter ? createRunProcessor(deps, { limiter }) : undefined;
  // The queue carries runs and, marked as such, framework import jobs (issue 16).
  if (processor) {
    deps.runQueue.startWorker(
      (id) => (isImportJobDelivery(id) ? processImportJobDelivery(deps, id) : processor.process(id)),
      deps.config.engine.concurrency,
    );
  }
  const alerts = roles.isWorker ? startAlertDelivery(deps) : undefined;
  // Workers build the auditors' evidence packs too: jobs claimed from Postgres, so a restart loses none.
  const packWorker = roles.isWorker ? startEvidencePackWorker(deps) : undefined;
  if (roles.isScheduler) {
    const { scheduler } = deps.config.engine;
    const everyTick = (name: string, intervalMs: number, work: () => Promise<unknown>) => {
      const tick = async () => {
        // The lock only saves repeated work (every task is idempotent), so with the cache down each process works.
        const isMine = await deps.cache
          .setIfAbsent(`engine:tick:${name}`, String(process.pid), Math.max(1, Math.floor(intervalMs / 1000) - 1))
          .catch(() => true);
        if (!isMine) {
          deps.log.debug({ task: name }, "another process has this tick");
          return;
        }
        await work();
      };
      const run = () =>
        void tick().catch((error: unknown) => deps.log.error({ err: error, task: name }, "engine task failed"));
      setImmediate(run);
      timers.push(setInterval(run, intervalMs));
    };
    // A dead worker's runs come back within the lease and a third of it.
    everyTick("maintenance", Math.min(MAINTENANCE_INTERVAL_MS, deps.config.engine.staleAfterMs / 3), async () => {
      await redeliverLostRuns(deps);
      await redeliverLostImportJobs(deps);
      // Push controls' windows get their points within a tick of closing.
      await closeDuePushWindows(deps);
    });
    if (scheduler.isEnabled) everyTick("scheduler", scheduler.intervalMs, () => scheduleDueWindows(deps));
    everyTick("retention", RETENTION_CHECK_INTERVAL_MS, () => pruneExpiredRecords(deps));
    // control.stale / control.fresh, run.error streaks and compliance crossings (the point-driven events are
    // written with their points).
    everyTick("alert-sweep", deps.config.alerts.sweepIntervalMs, () => sweepAlertStates(deps));
    // Registry calls happen only here, in the background: publishing retries while the registry is down.
    const { registry } = deps.config;
    if (registry.url) {
      everyTick("registry-publish", registry.publishIntervalMs, () => publishDueCatalogs(deps));
      everyTick("registry-sync", registry.syncIntervalMs, () => syncClosedWindows(deps));
    }
  }
  for (const timer of timers) timer.unref();
  return {
    /**
     * Stops the timers and the worker: no new runs are taken, the runs in flight finish for up to `timeoutMs`
     * (SHUTDOWN_TIMEOUT_MS), and what is left is given back to the queue with its attempts.
     */
    async stop(timeoutMs = deps.config.lifecycle.shutdownTimeoutMs) {
      for (const timer of timers) clearInterval(timer);
      await alerts?.stop();
      await packWorker?.stop();
      if (!processor) return;
      const stoppingWorker = deps.runQueue.stopWorker();
      await processor.stop(timeoutMs);
      await stoppingWorker;
      await limiter?.close();
    },
  };
}

/**
 * The alert channels of a worker: events leave the outbox into each channel's deliveries, and webhook deliveries are
 * sent, each loop polling while idle and running again at once while there is work. E-mail is the second channel:
 * the dispatcher queues its mail, and its own loop sends what is due.
 */
function startAlertDelivery(deps: AppDeps): { stop: () => Promise<void> } {
  const channels: EventChannel[] = [webhookChannel(deps), mailChannel(deps)];
  const outbound = createWebhookOutbound(deps);
  const { pollIntervalMs, concurrency } = deps.config.webhooks;
  const onError = (task: string) => (error: unknown) => deps.log.error({ err: error, task }, "alert delivery failed");
  // WEBHOOK_CONCURRENCY is shared by a few delivery loops, so one slow receiver's wave never holds up the others and
  // claiming, sending and recording overlap (SKIP LOCKED keeps the loops off each other's deliveries).
  const loopCount = Math.min(DELIVERY_LOOPS, concurrency);
  const perLoop = Math.ceil(concurrency / loopCount);
  // The delivery loops poll one queue: while it is drained, one claim per interval tells them all (not one per loop,
  // which kept an idle or busy worker sending loopCount × 4 claims a second that found nothing). Events the dispatcher
  // has committed wake them, so a delivery still leaves within an interval.
  const deliveries = createSharedIdle(pollIntervalMs);
  const deliver = async () => {
    if (deliveries.isIdle()) return 0;
    const poll = deliveries.startPoll();
    try {
      // The claim's answer is what tells the queue's state: the sending that follows may take long.
      return await deliverDueWebhooks(deps, outbound, perLoop, (claimed) => poll.end(claimed < perLoop));
    } finally {
      poll.end(false);
    }
  };
  const dispatch = async () => {
    const dispatched = await dispatchPendingEvents(deps, channels);
    if (dispatched > 0) deliveries.wake();
    return dispatched;
  };
  const loops = [
    startPollLoop(dispatch, pollIntervalMs, onError("event-dispatch")),
    ...Array.from({ length: loopCount }, () => startPollLoop(deliver, pollIntervalMs, onError("webhook-delivery"))),
    // Mail that is due (immediate, digests at the end of their hour or day, retries of failed sends).
    ...(deps.config.mail.isEnabled
      ? [startPollLoop(async () => (await flushDigests(deps, deps.now())).sent, pollIntervalMs, onError("mail"))]
      : []),
  ];
  return {
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      outbound.close();
    },
  };
}
