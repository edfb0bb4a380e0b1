import { ConfigError, loadConfig, type Config } from "./config.ts";
import type { Logger } from "./logger.ts";

/** The config for a process entry point; a bad environment prints every problem and exits non-zero. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Past the shutdown deadline, how long closing the clients may still take before the process exits regardless. */
const CLOSE_MARGIN_MS = 5_000;

/**
 * On SIGTERM or SIGINT, runs the steps in order (stop accepting work first, close clients last), then exits. The steps
 * bound their own waits by `timeoutMs` (SHUTDOWN_TIMEOUT_MS); should one hang anyway, the process exits non-zero a
 * few seconds after it.
 */
export function stopOnSignals(log: Logger, steps: (() => Promise<unknown>)[], timeoutMs: number): void {
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal, timeoutMs }, "shutting down");
    setTimeout(() => {
      log.error("shutdown did not finish in time: exiting");
      process.exit(1);
    }, timeoutMs + CLOSE_MARGIN_MS).unref();
    for (const step of steps) await step().catch((error: unknown) => log.error({ err: error }, "shutdown step failed"));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
