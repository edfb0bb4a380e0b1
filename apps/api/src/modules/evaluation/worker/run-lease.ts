import type { AppDeps } from "../../../deps.ts";
import type { RunClaim } from "../runs/runs.repository.ts";

/**
 * A worker's hold on a claimed run. Heartbeats renew it about every quarter of RUN_STALE_AFTER_MS; once the reaper
 * could take the run back (the lease unrenewed for half of it, say the database is gone) or the claim is no longer
 * held (cancelled, or taken back), the lease is lost: the attempt is aborted and nothing of it is written, since
 * another worker may hold the run now. The worker may also give the run up (shutdown), which aborts the attempt too.
 */
export interface RunLease {
  /** Aborted when the lease is lost or given up: the mashup call in flight stops. */
  readonly signal: AbortSignal;
  readonly isLost: boolean;
  readonly isGivenUp: boolean;
  /** Gives the run up on this worker's initiative (shutdown): the caller hands it back to the queue. */
  giveUp(): void;
  /** Stops renewing (the run was finished, requeued or released). */
  end(): void;
}

/** Holds the leases of one worker's runs. */
export interface LeaseKeeper {
  hold(run: RunClaim): RunLease;
}

/** What the keeper's one timer visits on each tick. */
interface HeldLease {
  renew(now: number): void;
}

/**
 * One timer for every lease of a worker, not one per run: a worker holding hundreds of short runs a second paid for
 * as many interval timers set and cleared. Each tick renews the leases not renewed for half a period (a run claimed
 * just before a tick waits for the next), so a lease is renewed every half to one and a half periods, well within
 * the half of RUN_STALE_AFTER_MS after which it counts as lost. The timer runs only while leases are held.
 */
export function createLeaseKeeper(
  deps: Pick<AppDeps, "config" | "log">,
  /** Renews a claim (batched with other runs' by the caller); false when it is no longer held. */
  touch: (run: RunClaim) => Promise<boolean>,
): LeaseKeeper {
  const { staleAfterMs } = deps.config.engine;
  const periodMs = Math.max(250, staleAfterMs / 4);
  const held = new Set<HeldLease>();
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    const now = Date.now();
    for (const lease of held) lease.renew(now);
  };

  return {
    hold(run) {
      const controller = new AbortController();
      let lastRenewedAt = Date.now();
      let isLost = false;
      let isGivenUp = false;
      let isRenewing = false;
      // A renewal answered after the run ended (stored, requeued) finds it no longer running: that is no lost lease.
      let isEnded = false;

      const lose = (reason: string) => {
        if (isLost) return;
        isLost = true;
        deps.log.warn({ runId: run.id, reason }, "lost the lease of a run: abandoning the attempt");
        controller.abort();
      };
      const entry: HeldLease = {
        renew(now) {
          // A renewal still waiting on the database must not hide that the lease is running out.
          if (now - lastRenewedAt >= staleAfterMs / 2) return lose("the lease could not be renewed in time");
          if (isRenewing || now - lastRenewedAt < periodMs / 2) return;
          isRenewing = true;
          touch(run)
            .then(
              (isHeld) => {
                if (isHeld) lastRenewedAt = Date.now();
                else if (!isEnded) lose("the run was cancelled or taken back");
              },
              // The database is unreachable; the next tick decides whether the lease is lost.
              () => undefined,
            )
            .finally(() => (isRenewing = false));
        },
      };
      held.add(entry);
      if (!timer) {
        timer = setInterval(tick, periodMs);
        timer.unref();
      }

      return {
        signal: controller.signal,
        get isLost() {
          return isLost;
        },
        get isGivenUp() {
          return isGivenUp;
        },
        giveUp() {
          if (isGivenUp || isLost) return;
          isGivenUp = true;
          controller.abort();
        },
        end() {
          isEnded = true;
          held.delete(entry);
          if (held.size === 0 && timer) {
            clearInterval(timer);
            timer = undefined;
          }
        },
      };
    },
  };
}
