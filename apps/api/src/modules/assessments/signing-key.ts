import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import path from "node:path";
import type { PackPublicKey } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { readOrCreateKeyFile } from "../../persistent-keys.ts";

/** The instance's Ed25519 key that signs evidence packs, with its public half. */
export interface PackSigningKey {
  privateKey: KeyObject;
  publicKey: PackPublicKey;
  publicKeyDer: Buffer;
}

const loaded = new Map<string, Promise<PackSigningKey>>();

/**
 * The pack-signing key, generated once and kept under DATA_DIR/keys like the other keys (0600, created atomically so
 * an API and a worker starting together agree). Auditors check packs against its public key, so it must outlive
 * restarts and upgrades: a new key would not invalidate old packs, but would stop matching the key they were given.
 */
export async function loadPackSigningKey(deps: Pick<AppDeps, "config">): Promise<PackSigningKey> {
  const file = path.join(deps.config.database.dataDir, "keys", "evidence-pack-signing-key");
  let entry = loaded.get(file);
  if (!entry) {
    entry = readSigningKey(file);
    loaded.set(file, entry);
    entry.catch(() => loaded.delete(file));
  }
  return entry;
}

async function readSigningKey(file: string): Promise<PackSigningKey> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { value } = await readOrCreateKeyFile(file, () =>
    generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  );
  const privateKey = createPrivateKey({ key: Buffer.from(value, "base64"), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  const publicKeyDer = publicKey.export({ format: "der", type: "spki" });
  return {
    privateKey,
    publicKeyDer,
    publicKey: {
      algorithm: "Ed25519",
      keyId: createHash("sha256").update(publicKeyDer).digest("hex"),
      pem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    },
  };
}

/** The Ed25519 signature of some bytes, base64. */
export function signBytes(key: PackSigningKey, bytes: Buffer): string {
  return sign(null, bytes, key.privateKey).toString("base64");
}
