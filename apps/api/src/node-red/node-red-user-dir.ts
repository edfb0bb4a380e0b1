import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import bcrypt from "bcryptjs";

const CREDENTIAL_SECRET_FILE = ".status-credential-secret";
export const FLOWS_FILE = "flows.json";
const BCRYPT_ROUNDS = 10;

/**
 * The secret Node-RED encrypts flow credentials with. Generated once per user directory and kept there (owner-only),
 * so credentials typed into the editor still decrypt after a restart.
 */
export async function loadCredentialSecret(userDir: string): Promise<string> {
  const file = path.join(userDir, CREDENTIAL_SECRET_FILE);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

/**
 * Installs the given flow files (merged into one flows.json) when the user directory has no flows yet. Later starts
 * keep whatever the developers deployed, even an empty workspace.
 */
export async function installInitialFlows(userDir: string, flowFiles: readonly string[]): Promise<boolean> {
  const target = path.join(userDir, FLOWS_FILE);
  if (existsSync(target)) return false;
  const nodes: unknown[] = [];
  for (const file of flowFiles) nodes.push(...(JSON.parse(await readFile(file, "utf8")) as unknown[]));
  await writeFile(target, `${JSON.stringify(nodes, null, 4)}\n`, { flag: "wx" });
  return true;
}

export async function prepareUserDir(userDir: string): Promise<void> {
  await mkdir(userDir, { recursive: true, mode: 0o700 });
}

/** A password for the service account when none is configured: it lives only in the API and its child's settings. */
export function generateServicePassword(): string {
  return randomBytes(24).toString("base64url");
}

/** Node-RED's adminAuth and httpNodeAuth take bcrypt hashes, never the password. */
export function hashServicePassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}
