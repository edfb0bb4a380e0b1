import { randomBytes } from "node:crypto";
import { rename } from "node:fs/promises";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { createLogger } from "./logger.ts";
import { KeyRotationError, rotateEncryptionKey } from "./modules/encryption/index.ts";
import { keyFilePaths, readOrCreateKeyFile, withPersistentKeys } from "./persistent-keys.ts";
import { decodeEncryptionKey } from "./config.ts";

/**
 * `npm run rotate-encryption-key`: re-encrypts every stored credential under a new key, in one transaction.
 *
 * - With STATUS_ENCRYPTION_KEY (production): set STATUS_NEW_ENCRYPTION_KEY too; afterwards make the new key the
 *   STATUS_ENCRYPTION_KEY of every API process and restart them.
 * - With the key kept in DATA_DIR/keys (the embedded default): stop STATUS first (PGlite has one user); a new key is
 *   generated (or STATUS_NEW_ENCRYPTION_KEY taken), written next to the old one as encryption-key.next, and moved into
 *   place once the transaction has committed. A run that stopped half-way is simply run again.
 */
const { config } = await withPersistentKeys(loadConfig());
const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
const paths = keyFilePaths(config.database.dataDir);
const usesKeyFile = config.encryption.isKeyGenerated && config.auth.isJwtSecretGenerated;

let newKey = config.keyRotation.newEncryptionKey;
const nextKeyFile = `${paths.encryptionKey}.next`;
if (usesKeyFile) {
  const given = newKey?.toString("hex");
  const next = await readOrCreateKeyFile(nextKeyFile, () => given ?? randomBytes(32).toString("hex"));
  newKey = decodeEncryptionKey(next.value);
  if (given && next.value !== given) {
    console.error(
      `${nextKeyFile} holds another key from an unfinished rotation; run again without STATUS_NEW_ENCRYPTION_KEY`,
    );
    process.exit(1);
  }
} else if (!newKey) {
  console.error(
    "Set STATUS_NEW_ENCRYPTION_KEY (32 bytes as 64 hex digits or base64, e.g. `openssl rand -hex 32`) next to the current STATUS_ENCRYPTION_KEY",
  );
  process.exit(1);
}

// Re-encrypting every stored credential may take longer than a request: only connecting is bounded.
const database = await openDatabase({ ...config.database, timeoutMs: 0 }, log);
try {
  const report = await rotateEncryptionKey({ db: database.pool }, { oldKey: config.encryption.key, newKey: newKey! });
  for (const column of report)
    console.log(
      `${column.name}: ${column.reEncrypted} re-encrypted, ${column.alreadyRotated} already under the new key`,
    );
  if (usesKeyFile) {
    await rename(nextKeyFile, paths.encryptionKey);
    console.log(`The new key is in ${paths.encryptionKey}; start STATUS again.`);
  } else {
    console.log(
      "Done. Now set STATUS_ENCRYPTION_KEY to the value of STATUS_NEW_ENCRYPTION_KEY for every API process, remove STATUS_NEW_ENCRYPTION_KEY, and restart them.",
    );
  }
} catch (error) {
  if (!(error instanceof KeyRotationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
