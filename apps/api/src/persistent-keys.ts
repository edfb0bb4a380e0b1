import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeEncryptionKey, type Config } from "./config.ts";

/** The files under DATA_DIR that hold the keys the environment did not set (outside production only). */
export function keyFilePaths(dataDir: string): { directory: string; jwtSecret: string; encryptionKey: string } {
  const directory = path.join(dataDir, "keys");
  return {
    directory,
    jwtSecret: path.join(directory, "jwt-secret"),
    encryptionKey: path.join(directory, "encryption-key"),
  };
}

/** What withPersistentKeys did, for the start-up log. */
export interface PersistentKeys {
  config: Config;
  /** Key files read (existing) or written (new) this start. */
  files: { path: string; isNew: boolean }[];
}

export class KeyFileError extends Error {}

/**
 * Outside production, a key the environment does not set is generated once and kept under DATA_DIR/keys (mode 0600,
 * the directory 0700), so a restart neither signs everyone out nor makes stored credentials unreadable. Production
 * never gets here without the keys: the config refuses to start. With JWT_SECRET set and no STATUS_ENCRYPTION_KEY,
 * the encryption key stays derived from JWT_SECRET (stable already), as before.
 */
export async function withPersistentKeys(config: Config): Promise<PersistentKeys> {
  const needsJwtSecret = config.auth.isJwtSecretGenerated;
  const needsEncryptionKey = config.encryption.isKeyGenerated && config.auth.isJwtSecretGenerated;
  if (!needsJwtSecret && !needsEncryptionKey) return { config, files: [] };
  const paths = keyFilePaths(config.database.dataDir);
  await mkdir(paths.directory, { recursive: true, mode: 0o700 });
  const files: PersistentKeys["files"] = [];
  let { jwtSecret } = config.auth;
  let encryptionKey = config.encryption.key;
  if (needsJwtSecret) {
    const file = await readOrCreateKeyFile(paths.jwtSecret, () => randomBytes(48).toString("base64url"));
    if (file.value.length < 32) throw new KeyFileError(`${paths.jwtSecret}: the secret is shorter than 32 characters`);
    jwtSecret = file.value;
    files.push({ path: paths.jwtSecret, isNew: file.isNew });
  }
  if (needsEncryptionKey) {
    const file = await readOrCreateKeyFile(paths.encryptionKey, () => randomBytes(32).toString("hex"));
    const key = decodeEncryptionKey(file.value);
    if (!key) throw new KeyFileError(`${paths.encryptionKey}: not 32 bytes as 64 hex digits or base64`);
    encryptionKey = key;
    files.push({ path: paths.encryptionKey, isNew: file.isNew });
  }
  return {
    config: Object.freeze({
      ...config,
      auth: { ...config.auth, jwtSecret },
      encryption: { ...config.encryption, key: encryptionKey },
    }),
    files,
  };
}

/**
 * Reads a key file, or creates it with a new value. Creation is atomic (a temporary file linked into place, which
 * fails if another process won the race), so the API and a worker starting together end up with the same key.
 * A file others may read is narrowed to 0600; an unreadable or malformed file stops the start (never overwritten:
 * that would lose what the old key protects).
 */
export async function readOrCreateKeyFile(
  filePath: string,
  generate: () => string,
): Promise<{ value: string; isNew: boolean }> {
  const existing = await readKeyFile(filePath);
  if (existing !== undefined) return { value: existing, isNew: false };
  const temporary = `${filePath}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${generate()}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(temporary, filePath);
    return { value: (await readKeyFile(filePath))!, isNew: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { value: (await readKeyFile(filePath))!, isNew: false };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(filePath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if ((await stat(filePath)).mode & 0o077) await chmod(filePath, 0o600);
  const value = text.trim();
  if (!value) throw new KeyFileError(`${filePath}: the key file is empty`);
  return value;
}
