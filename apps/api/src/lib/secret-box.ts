import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for credentials at rest. A stored blob is `v1:<iv>:<tag>:<ciphertext>` (base64url): the version names
 * the key and scheme, so a later key can be introduced without guessing how old rows were written.
 */
const VERSION = "v1";
const IV_BYTES = 12;

export class SecretDecryptionError extends Error {}

export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(":");
}

/** Decrypts a blob of encryptSecret; a wrong key or an edited blob fails authentication (SecretDecryptionError). */
export function decryptSecret(key: Buffer, blob: string): string {
  const [version, iv, tag, ciphertext] = blob.split(":");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new SecretDecryptionError(`Unknown secret format ${version ?? ""}`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new SecretDecryptionError("The secret cannot be decrypted with the configured STATUS_ENCRYPTION_KEY", {
      cause: error,
    });
  }
}
