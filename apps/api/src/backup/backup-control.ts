import { chmod, rm } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import path from "node:path";
import type { Logger } from "../logger.ts";
import { writeBackup, type BackupResult, type BackupSource } from "./backup-archive.ts";

/**
 * How `npm run backup` reaches a running STATUS: a Unix socket in DATA_DIR (mode 0600, so only the account that can
 * read DATA_DIR/keys anyway may ask). The running API takes the backup itself, because PGlite has a single owner: no
 * second process may open its data directory while the API has it open.
 */
export function backupSocketPath(dataDir: string): string {
  return path.join(dataDir, "backup.sock");
}

interface BackupRequest {
  file: string;
}

type BackupReply = { ok: true; result: BackupResult } | { ok: false; error: string };

export interface BackupControl {
  close(): Promise<void>;
}

export async function startBackupControl(
  source: BackupSource,
  log: Logger,
  now: () => Date = () => new Date(),
): Promise<BackupControl> {
  const socketPath = backupSocketPath(source.dataDir);
  // A socket file left by a STATUS that was killed: nothing answers on it any more (the CLI tells the two apart).
  if (!(await isAnswering(socketPath))) await rm(socketPath, { force: true });
  let running: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((socket) => {
    let input = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      input += chunk;
      if (!input.includes("\n") || input.length > 10_000) return;
      const reply = (body: BackupReply) => socket.end(`${JSON.stringify(body)}\n`);
      let request: BackupRequest;
      try {
        request = JSON.parse(input.slice(0, input.indexOf("\n"))) as BackupRequest;
        if (typeof request.file !== "string" || !path.isAbsolute(request.file))
          throw new Error("file: an absolute path");
      } catch (error) {
        return reply({ ok: false, error: `bad request: ${(error as Error).message}` });
      }
      // One backup at a time.
      const task = running.then(() => writeBackup(source, request.file, now()));
      running = task.catch(() => undefined);
      task.then(
        (result) => {
          log.info({ file: result.file, bytes: result.bytes }, "backup written");
          reply({ ok: true, result });
        },
        (error: unknown) => {
          log.error({ err: error }, "backup failed");
          reply({ ok: false, error: (error as Error).message });
        },
      );
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  await chmod(socketPath, 0o600);
  return {
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await running;
    },
  };
}

/** Whether a STATUS answers on the socket (a leftover file with no listener does not). */
export function isAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Asks the STATUS running on `dataDir` to write a backup to `file`; undefined when none is running there. */
export async function requestBackup(dataDir: string, file: string): Promise<BackupResult | undefined> {
  const socketPath = backupSocketPath(dataDir);
  if (!(await isAnswering(socketPath))) return undefined;
  const reply = await new Promise<BackupReply>((resolve, reject) => {
    let output = "";
    const socket = createConnection(socketPath, () => socket.write(`${JSON.stringify({ file })}\n`));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (output += chunk));
    socket.once("end", () => {
      try {
        resolve(JSON.parse(output) as BackupReply);
      } catch {
        reject(new Error(`the running STATUS gave no answer: ${output}`));
      }
    });
    socket.once("error", reject);
  });
  if (!reply.ok) throw new Error(`the running STATUS could not write the backup: ${reply.error}`);
  return reply.result;
}
