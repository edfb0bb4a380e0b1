import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { createLogger } from "../logger.ts";
import { defaultBackupName, writeBackup, type BackupResult } from "./backup-archive.ts";
import { requestBackup } from "./backup-control.ts";
import { embeddedBackupSource } from "./embedded-backup.ts";

const USAGE = `npm run backup [-- --out <file>]

Backs up the embedded default (PGlite database, the embedded Node-RED's flows and credentials, DATA_DIR/keys) into
one .tar.gz, mode 0600 (it holds the keys: keep it as secret as they are). With STATUS running, the running API takes
it between transactions; with STATUS stopped, this process opens the data directory itself.
With DATABASE_URL (compose), use scripts/backup-compose.sh instead.

  --out <file>   where to write it (default: DATA_DIR/backups/status-backup-<time>.tar.gz)
  --help`;

const { values } = parseArgs({
  options: { out: { type: "string" }, help: { type: "boolean", default: false } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const config = loadConfig();
if (config.database.url) {
  console.error("DATABASE_URL is set: npm run backup covers the embedded default; use scripts/backup-compose.sh");
  process.exit(1);
}
const { dataDir } = config.database;
const file = path.resolve(values.out ?? path.join(dataDir, "backups", defaultBackupName(new Date())));

async function backUp(): Promise<{ result: BackupResult; by: string }> {
  const fromRunning = await requestBackup(dataDir, file);
  if (fromRunning) return { result: fromRunning, by: "the running STATUS" };
  const database = await openDatabase(config.database, createLogger("warn"));
  try {
    return { result: await writeBackup(embeddedBackupSource(database, dataDir), file, new Date()), by: "this process" };
  } finally {
    await database.close();
  }
}

try {
  const { result, by } = await backUp();
  console.log(
    `backup written by ${by}: ${result.file} (${(result.bytes / 1_048_576).toFixed(1)} MB, ` +
      `${result.manifest.migrations.length} migrations, ${Object.keys(result.manifest.files).length} files)`,
  );
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
