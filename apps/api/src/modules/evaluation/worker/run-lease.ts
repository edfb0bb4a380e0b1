import type { AppDeps } from "../../../deps.ts";
import type { RunClaim } from "../runs/runs.repository.ts";

/**
 * A worker's hold on a claimed run. Heartbeats renew it every quarter of RUN_STALE_AFTER_MS; once the reaper could
 * take the run back (the lease unrenewed for half of it, say the database is gone) or the claim is no longer held
 * (cancelled, or taken back), the lease is lost: the attempt is aborted and nothing of it is written, since another
 * worker may hold the run now. The worker may also give the run up (shutdown), which aborts the attempt too.
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

export function holdLease(
  deps: Pick<AppDeps, "config" | "log">,
  run: RunClaim,
  /** Renews the claim (batched with other runs' by the caller); false when it is no longer held. */
  touch: (run: RunClaim) => Promise<boolean>,
): RunLease {
  const { staleAfterMs } = deps.config.engine;
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
  const renew = async () => {
    // A renewal still waiting on the database must not hide that the lease is running out.
    if (Date.now() - lastRenewedAt >= staleAfterMs / 2) return lose("the lease could not be renewed in time");
    if (isRenewing) return;
    isRenewing = true;
    try {
      if (await touch(run)) lastRenewedAt = Date.now();
      else if (!isEnded) lose("the run was cancelled or taken back");
    } catch {
      // The database is unreachable; the next tick decides whether the lease is lost.
    } finally {
      isRenewing = false;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(250, staleAfterMs / 4));
  timer.unref();

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
      clearInterval(timer);
    },
  };
}
