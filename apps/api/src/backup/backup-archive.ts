import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tar from "tar";
import { keyFilePaths } from "../persistent-keys.ts";

/**
 * The embedded default's backup: one gzipped tar holding the PGlite data directory (as PGlite dumps it), the embedded
 * Node-RED's user directory (flows, encrypted credentials and their secret) and DATA_DIR/keys, with a manifest.
 * Taken by the running API (backup-control.ts) so that the database is dumped between transactions; restored only
 * while STATUS is stopped. Holds the keys, so it is as secret as they are (written 0600).
 */

export const BACKUP_FORMAT = "status-embedded-backup";
export const BACKUP_FORMAT_VERSION = 1;
const MANIFEST = "manifest.json";
const DATABASE_FILE = "database.tar.gz";
const NODE_RED_DIR = "node-red";
const KEYS_DIR = "keys";

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  /** The migrations applied to the database when it was taken; a restore refuses one newer than this code. */
  migrations: string[];
  /** What the archive holds besides the manifest, and the SHA-256 of each file. */
  files: Record<string, string>;
}

export interface BackupSource {
  dataDir: string;
  /**
   * PGlite's dump of its data directory (gzipped tar), taken while no transaction is open, and the migrations applied
   * to it (schema_migrations) read in the same quiet moment.
   */
  snapshotDatabase(): Promise<{ dump: Blob; migrations: string[] }>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/** A backup file name that sorts by time: status-backup-2026-12-06T20-15-00Z.tar.gz. */
export function defaultBackupName(now: Date): string {
  return `status-backup-${now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "-")}.tar.gz`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Every regular file under `dir`, relative to `base`. */
async function filesUnder(base: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(base, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Writes the backup of `source` to `file`. The database dump and the applied migrations come from `source` (the
 * running API takes them between transactions); Node-RED's directory is copied without node_modules (palette nodes
 * are reinstalled from its package.json) and the keys are copied as they are.
 */
export async function writeBackup(source: BackupSource, file: string, now: Date): Promise<BackupResult> {
  await mkdir(path.dirname(file), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(file), ".status-backup-"));
  try {
    await chmod(staging, 0o700);
    // Database first: the flows and keys copied right after it belong to the same moment as closely as possible.
    const { dump, migrations } = await source.snapshotDatabase();
    await writeFile(path.join(staging, DATABASE_FILE), Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    const nodeRedDir = path.join(source.dataDir, "node-red");
    if (await exists(nodeRedDir))
      await cp(nodeRedDir, path.join(staging, NODE_RED_DIR), {
        recursive: true,
        filter: (from) => !from.split(path.sep).includes("node_modules"),
      });
    const keysDir = keyFilePaths(source.dataDir).directory;
    if (await exists(keysDir)) await cp(keysDir, path.join(staging, KEYS_DIR), { recursive: true });

    const files: Record<string, string> = {};
    for (const relative of await filesUnder(staging, "."))
      files[relative.split(path.sep).join("/")] = await sha256Of(path.join(staging, relative));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: now.toISOString(),
      migrations,
      files,
    };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });

    const partial = `${file}.partial`;
    await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, [MANIFEST, ...Object.keys(files)]);
    await chmod(partial, 0o600);
    // Renamed into place only when complete, so a file with the final name is never a torn backup.
    await rename(partial, file);
    return { file, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupFileError";
  }
}

/** Extracts `file` into `dir` and checks it: our format, every file present with its digest, nothing else. */
export async function extractBackup(file: string, dir: string): Promise<BackupManifest> {
  await tar.extract({ file, cwd: dir, strict: true }).catch((error: unknown) => {
    throw new BackupFileError(`${file} is not a readable backup (${(error as Error).message})`);
  });
  const manifest = JSON.parse(
    await readFile(path.join(dir, MANIFEST), "utf8").catch(() => "null"),
  ) as BackupManifest | null;
  if (manifest?.format !== BACKUP_FORMAT) throw new BackupFileError(`${file} is not a STATUS embedded backup`);
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION)
    throw new BackupFileError(`${file} has backup format ${manifest.formatVersion}; this STATUS reads up to 1`);
  for (const [relative, digest] of Object.entries(manifest.files)) {
    const actual = await sha256Of(path.join(dir, relative)).catch(() => "missing");
    if (actual !== digest)
      throw new BackupFileError(`${file}: ${relative} is ${actual === "missing" ? "missing" : "damaged"}`);
  }
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where what the data directory held before was moved (nothing is deleted). */
  previousDir: string | undefined;
}

/**
 * Restores `file` into `dataDir`, which no STATUS may be using: the database (loaded through PGlite, which checks it),
 * the Node-RED directory and the keys. What they replace is moved to DATA_DIR/before-restore-<time>/, never deleted.
 * `knownMigrations` are this code's: a backup with a migration it does not know comes from a newer STATUS.
 */
export async function restoreBackup(input: {
  file: string;
  dataDir: string;
  knownMigrations: string[];
  now: Date;
}): Promise<RestoreResult> {
  const { dataDir } = input;
  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(path.join(dataDir, ".restore-"));
  try {
    const manifest = await extractBackup(input.file, staging);
    const unknown = manifest.migrations.filter((name) => !input.knownMigrations.includes(name));
    if (unknown.length > 0)
      throw new BackupFileError(
        `${input.file} comes from a newer STATUS (migrations ${unknown.join(", ")}); restore it with that version`,
      );
    // The database is loaded into a directory of its own first: a dump PGlite cannot load leaves everything in place.
    const database = path.join(staging, "pglite");
    const { PGlite } = await import("@electric-sql/pglite");
    const dump = new Blob([await readFile(path.join(staging, DATABASE_FILE))]);
    const pglite = await PGlite.create(database, { loadDataDir: dump });
    await pglite.close();

    const stamp = input.now
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/:/g, "-");
    const previousDir = path.join(dataDir, `before-restore-${stamp}`);
    let moved = false;
    // A part the backup does not hold (no keys when they came from the environment) leaves the current one alone.
    const replace = async (name: string, from: string) => {
      if (!(await exists(from))) return;
      const target = path.join(dataDir, name);
      if (await exists(target)) {
        await mkdir(previousDir, { recursive: true, mode: 0o700 });
        await rename(target, path.join(previousDir, name));
        moved = true;
      }
      await rename(from, target);
    };
    await replace("pglite", database);
    await replace("node-red", path.join(staging, NODE_RED_DIR));
    await replace("keys", path.join(staging, KEYS_DIR));
    return { manifest, previousDir: moved ? previousDir : undefined };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
