import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Logger } from "../logger.ts";

const RECENT_LINES = 20;
// Node-RED prefixes console lines with "23 Nov 13:57:50 - [warn] ".
const NODE_RED_LINE = /^\d{1,2} \w{3} \d{2}:\d{2}:\d{2} - \[(\w+)\] (.*)$/;
// Warnings Node-RED prints on every start with our settings; they say nothing is wrong.
const EXPECTED_WARNINGS = [/^Projects disabled/, /^Encrypted credentials not found/];

/** The last lines Node-RED printed, quoted when it fails to start. */
export class RecentOutput {
  private readonly lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > RECENT_LINES) this.lines.shift();
  }

  toString(): string {
    return this.lines.length > 0 ? this.lines.join("\n") : "(no output)";
  }
}

/**
 * Passes Node-RED's console output to our logger. It runs at warn level (settings.cjs), so everything it prints is
 * worth a warning; its errors and anything on stderr are logged as errors.
 */
export function forwardOutput(
  stream: Readable,
  options: { log: Logger; recent: RecentOutput; isStderr: boolean },
): void {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", (raw) => {
    const line = raw.trimEnd();
    if (line.trim() === "") return;
    options.recent.add(line);
    const match = NODE_RED_LINE.exec(line);
    const level = match?.[1] ?? (options.isStderr ? "error" : "warn");
    const message = match?.[2] ?? line;
    if (level === "error" || level === "fatal" || options.isStderr)
      options.log.error({ component: "node-red" }, message);
    else if (EXPECTED_WARNINGS.some((pattern) => pattern.test(message)))
      options.log.debug({ component: "node-red" }, message);
    else options.log.warn({ component: "node-red" }, message);
  });
}
