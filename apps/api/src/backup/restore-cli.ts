import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { MIGRATIONS_DIR } from "../db/migrate.ts";
import { restoreBackup } from "./backup-archive.ts";
import { backupSocketPath, isAnswering } from "./backup-control.ts";

const USAGE = `npm run restore <file>

Restores a backup of \`npm run backup\` into DATA_DIR while STATUS is stopped: the database, the embedded Node-RED's
directory and the keys it holds. What they replace is moved to DATA_DIR/before-restore-<time>/ (nothing is deleted).
The next \`npm start\` applies any migration newer than the backup.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { help: { type: "boolean", default: false } },
});
if (values.help || positionals.length !== 1) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 1);
}

const config = loadConfig();
if (config.database.url) {
  console.error("DATABASE_URL is set: npm run restore covers the embedded default; see scripts/backup-compose.sh");
  process.exit(1);
}
const { dataDir } = config.database;
if (await isAnswering(backupSocketPath(dataDir))) {
  console.error(`STATUS is running on ${dataDir}: stop it (Ctrl-C in its terminal), then restore`);
  process.exit(1);
}

try {
  const knownMigrations = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith(".sql"));
  const result = await restoreBackup({
    file: path.resolve(positionals[0]!),
    dataDir,
    knownMigrations,
    now: new Date(),
  });
  console.log(`restored the backup of ${result.manifest.createdAt} into ${dataDir}`);
  if (result.previousDir) console.log(`what it replaced is kept in ${result.previousDir}`);
  console.log("start STATUS (npm start): it applies the migrations newer than the backup");
} catch (error) {
  console.error(`restore failed: ${(error as Error).message}`);
  process.exit(1);
}
