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

/** On SIGTERM or SIGINT, runs the steps in order (stop accepting work first, close clients last), then exits. */
export function stopOnSignals(log: Logger, steps: (() => Promise<unknown>)[]): void {
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "shutting down");
    for (const step of steps) await step().catch((error: unknown) => log.error({ err: error }, "shutdown step failed"));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
